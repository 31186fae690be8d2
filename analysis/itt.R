# The trial's intention-to-treat estimates in base R, the same computation as itt.ts (read its
# comment for the why): OLS of each outcome on an IPS indicator, CR1 cluster-robust variance
# clustered by person (primary) and by IPS partner (sensitivity), t on G - 1 degrees of freedom.
#
#   Rscript analysis/itt.R <extract.csv> [<label script.R>]
#
# With the label script served beside the extract (labels.R), the extract is loaded through it, so
# the value labels it sets are the data analysed; without one, the CSV is read as text. Prints one CSV line
# per measure: measure, ips_mean, control_mean, difference, se, low, high, partner_low, partner_high.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 2) {
  # The label script reads the extract's files by their served names from ips_dir and builds ips_data.
  ips_dir <- dirname(args[1])
  source(args[2])
  d <- as.data.frame(lapply(ips_data, as.character), stringsAsFactors = FALSE, check.names = FALSE)
} else {
  d <- read.csv(args[1], colClasses = "character", na.strings = "", check.names = FALSE)
}
truthy <- function(x) !is.na(x) & x %in% c("true", "t", "1", "TRUE")
since <- if ("month_since_randomisation" %in% names(d)) {
  as.integer(d$month_since_randomisation)
} else {
  (as.integer(substr(d$month, 1, 4)) - as.integer(substr(d$allocation_month, 1, 4))) * 12 +
    as.integer(substr(d$month, 6, 7)) - as.integer(substr(d$allocation_month, 6, 7))
}
arm <- as.character(d$arm)
# A labelled extract carries the arm's value label (English, as the label script sets it); back to its code.
arm[arm == "IPS arm"] <- "IPS"
arm[arm == "Control arm"] <- "CONTROL"
keep <- !is.na(since) & since >= 0 & since <= 30 & arm %in% c("IPS", "CONTROL")
d <- d[keep, , drop = FALSE]
since <- since[keep]
ips <- as.numeric(arm[keep] == "IPS")
person <- d$pseudonym
partner <- if ("partner" %in% names(d)) d$partner else NULL

cr1 <- function(y, treat, cluster) {
  X <- cbind(1, treat)
  fit <- lm.fit(X, y)
  u <- fit$residuals
  bread <- solve(crossprod(X))
  S <- rowsum(X * u, cluster)
  G <- nrow(S); N <- length(y)
  V <- G / (G - 1) * (N - 1) / (N - 2) * bread %*% crossprod(S) %*% bread
  b <- unname(fit$coefficients[2]); se <- sqrt(V[2, 2]); h <- qt(0.975, G - 1) * se
  c(b, se, b - h, b + h)
}
estimate <- function(name, y, treat, cluster, partner_cluster) {
  by_person <- cr1(y, treat, cluster)
  by_partner <- if (!is.null(partner_cluster) && length(unique(partner_cluster)) > 1) cr1(y, treat, partner_cluster) else c(NA, NA, NA, NA)
  cat(sprintf("%s,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g\n", name, mean(y[treat == 1]), mean(y[treat == 0]),
              by_person[1], by_person[2], by_person[3], by_person[4], by_partner[3], by_partner[4]))
}

working <- as.numeric(truthy(d$working_on_benefit))
benefit <- as.numeric(ifelse(is.na(d$benefit_amount_cents), 0, d$benefit_amount_cents))
estimate("WORKING_ON_BENEFIT", working, ips, person, partner)
estimate("BENEFIT_PER_MONTH", benefit, ips, person, partner)
# Person-quarters since randomisation: employed when a competitive job was held in any month of it.
quarter <- paste(person, since %/% 3, sep = "\r")
employed <- tapply(as.numeric(truthy(d$competitive_job)), quarter, max)
first <- !duplicated(quarter)
q_ips <- ips[first][match(names(employed), quarter[first])]
q_person <- person[first][match(names(employed), quarter[first])]
q_partner <- if (is.null(partner)) NULL else partner[first][match(names(employed), quarter[first])]
estimate("COMPETITIVE_EMPLOYMENT_QUARTERLY", as.numeric(employed), q_ips, q_person, q_partner)
