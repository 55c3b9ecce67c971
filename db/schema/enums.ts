import { pgEnum } from "drizzle-orm/pg-core";
import { APPLICATION_STATUSES, ORGANISATION_KINDS } from "./values";

export { APPLICATION_STATUSES, ORGANISATION_KINDS, type ApplicationStatus, type OrganisationKind } from "./values";

/** Every status and kind is a closed list; the French labels live next to the rules that use them. */
export const ROLES = ["applicant", "ars_agent", "anct_agent", "program_manager", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const roleEnum = pgEnum("role", ROLES);

export const applicationStatusEnum = pgEnum("application_status", APPLICATION_STATUSES);

export const organisationKindEnum = pgEnum("organisation_kind", ORGANISATION_KINDS);

export const MEMBERSHIP_ROLES = ["owner", "editor"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export const membershipRoleEnum = pgEnum("membership_role", MEMBERSHIP_ROLES);

export const TOKEN_PURPOSES = ["verify_email", "reset_password", "invitation"] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];
export const tokenPurposeEnum = pgEnum("token_purpose", TOKEN_PURPOSES);

export const MAIL_STATUSES = ["queued", "sent", "failed"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];
export const mailStatusEnum = pgEnum("mail_status", MAIL_STATUSES);
