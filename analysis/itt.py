"""The trial's intention-to-treat estimates with pandas and numpy, the same computation as itt.ts
(read its comment for the why): OLS of each outcome on an IPS indicator, CR1 cluster-robust
variance clustered by person (primary) and by IPS partner (sensitivity), t on G - 1 degrees of
freedom. Debian's python3-pandas brings numpy and scipy.

    python3 analysis/itt.py <extract.csv>

Prints one CSV line per measure: measure, ips_mean, control_mean, difference, se, low, high,
partner_low, partner_high."""
import math
import sys

import numpy as np
import pandas as pd
from scipy.stats import t as student


def cr1(y, treat, cluster):
    X = np.column_stack([np.ones(len(y)), treat])
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    u = y - X @ beta
    scores = pd.DataFrame(X * u[:, None]).groupby(np.asarray(cluster)).sum().to_numpy()
    g, n = scores.shape[0], len(y)
    v = g / (g - 1) * (n - 1) / (n - 2) * bread @ (scores.T @ scores) @ bread
    se = math.sqrt(v[1, 1])
    half = student.ppf(0.975, g - 1) * se
    return beta[1], se, beta[1] - half, beta[1] + half


def estimate(name, y, treat, person, partner):
    b, se, low, high = cr1(y, treat, person)
    p_low = p_high = float("nan")
    if partner is not None and len(set(partner)) > 1:
        _, _, p_low, p_high = cr1(y, treat, partner)
    print(f"{name},{y[treat == 1].mean():.12g},{y[treat == 0].mean():.12g},{b:.12g},{se:.12g},{low:.12g},{high:.12g},{p_low:.12g},{p_high:.12g}")


d = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
if "month_since_randomisation" in d.columns:
    since = pd.to_numeric(d["month_since_randomisation"], errors="coerce")
else:
    since = (d["month"].str[:4].astype(int) - d["allocation_month"].str[:4].astype(int)) * 12 + d["month"].str[5:7].astype(int) - d["allocation_month"].str[5:7].astype(int)
d = d[(since >= 0) & (since <= 30) & d["arm"].isin(["IPS", "CONTROL"])].copy()
d["since"] = since[d.index].astype(int)
truthy = lambda column: d[column].isin(["true", "t", "1", "TRUE"]).astype(float).to_numpy()
ips = (d["arm"] == "IPS").astype(float).to_numpy()
person = d["pseudonym"].to_numpy()
partner = d["partner"].to_numpy() if "partner" in d.columns else None
estimate("WORKING_ON_BENEFIT", truthy("working_on_benefit"), ips, person, partner)
estimate("BENEFIT_PER_MONTH", pd.to_numeric(d["benefit_amount_cents"].replace("", "0")).astype(float).to_numpy(), ips, person, partner)
d["employed"] = truthy("competitive_job")
d["quarter"] = d["since"] // 3
q = d.groupby(["pseudonym", "quarter"], sort=False).agg(employed=("employed", "max"), arm=("arm", "first"), partner=("partner", "first") if partner is not None else ("arm", "first")).reset_index()
estimate("COMPETITIVE_EMPLOYMENT_QUARTERLY", q["employed"].to_numpy(), (q["arm"] == "IPS").astype(float).to_numpy(), q["pseudonym"].to_numpy(), q["partner"].to_numpy() if partner is not None else None)
