/** Checked-in migrations, in order (listed explicitly: jest cannot discover compiled files). */
import { CreatePathways } from './001-create-pathways.js';
import { AddPartnerAndJobCoach } from './002-add-partner-and-job-coach.js';
import { IntakeRoutingAndRegistration } from './003-intake-routing-and-registration.js';
import { PathwayEndAndPhysicianFile } from './004-pathway-end-and-physician-file.js';
import { WorkAuthorisation } from './005-work-authorisation.js';
import { WelcomeAndFollowUp } from './006-welcome-and-follow-up.js';
import { PathwayActs } from './007-pathway-acts.js';
import { FreeTextCategories } from './008-free-text-categories.js';
import { ForeignKeys } from './009-foreign-keys.js';
import { ReferenceCounsellor } from './010-reference-counsellor.js';
import { WorklistIndexes } from './011-worklist-indexes.js';
import { WithdrawalMeetingsTimeline } from './012-withdrawal-meetings-timeline.js';
import { EmploymentEpisodes } from './013-employment-episodes.js';
import { LocalisedPhysicianMessages } from './014-localised-physician-messages.js';
import { PublishedIntervention } from './017-published-intervention.js';
import { PublishedPathwayCourse } from './019-published-pathway-course.js';
import { TeamCaseloadIndex } from './020-team-caseload-index.js';
import { ActInboxFormsIndex } from './021-act-inbox-forms-index.js';
import { EmploymentDeclarations } from './023-employment-declarations.js';
import { RegistrationCodes } from './024-registration-codes.js';
import { WelcomeAttendanceMarks } from './025-welcome-attendance-marks.js';
import { DecisionReasons } from './026-decision-reasons.js';
import { RpForms } from './027-rp-forms.js';
import { IpsPractice } from './028-ips-practice.js';
import { ArmOnPathway } from './029-arm-on-pathway.js';

export const migrations = [
  CreatePathways,
  AddPartnerAndJobCoach,
  IntakeRoutingAndRegistration,
  PathwayEndAndPhysicianFile,
  WorkAuthorisation,
  WelcomeAndFollowUp,
  PathwayActs,
  FreeTextCategories,
  ForeignKeys,
  ReferenceCounsellor,
  WorklistIndexes,
  WithdrawalMeetingsTimeline,
  EmploymentEpisodes,
  LocalisedPhysicianMessages,
  PublishedIntervention,
  PublishedPathwayCourse,
  TeamCaseloadIndex,
  ActInboxFormsIndex,
  EmploymentDeclarations,
  RegistrationCodes,
  WelcomeAttendanceMarks,
  DecisionReasons,
  RpForms,
  IpsPractice,
  ArmOnPathway,
];
