CREATE TYPE "public"."decision_outcome" AS ENUM('selected', 'waitlisted', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_kind" AS ENUM('commitment', 'release', 'payment', 'carry_over_out', 'carry_over_in');--> statement-breakpoint
CREATE TYPE "public"."override_mode" AS ENUM('include', 'exclude', 'amount');--> statement-breakpoint
CREATE TYPE "public"."payment_tranche" AS ENUM('advance', 'balance');--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"wave_id" uuid NOT NULL,
	"outcome" "decision_outcome" NOT NULL,
	"awarded_cents" bigint,
	"buses" integer DEFAULT 0 NOT NULL,
	"waitlist_rank" integer,
	"motivation" text,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reopened_by" text,
	"reopened_at" timestamp with time zone,
	"reopen_motivation" text,
	CONSTRAINT "decisions_selected_check" CHECK (("decisions"."outcome" = 'selected') = ("decisions"."awarded_cents" is not null) and ("decisions"."awarded_cents" is null or "decisions"."awarded_cents" > 0)),
	CONSTRAINT "decisions_waitlisted_check" CHECK (("decisions"."outcome" = 'waitlisted') = ("decisions"."waitlist_rank" is not null) and ("decisions"."waitlist_rank" is null or "decisions"."waitlist_rank" > 0))
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"wave_id" uuid NOT NULL,
	"application_id" uuid,
	"region_code" text,
	"kind" "ledger_entry_kind" NOT NULL,
	"amount_cents" bigint NOT NULL,
	"buses" integer DEFAULT 0 NOT NULL,
	"tranche" "payment_tranche",
	"counterpart_wave_id" uuid,
	"actor_id" text NOT NULL,
	"motivation" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_amounts_check" CHECK ("ledger_entries"."amount_cents" >= 0 and "ledger_entries"."buses" >= 0 and ("ledger_entries"."amount_cents" > 0 or "ledger_entries"."buses" > 0)),
	CONSTRAINT "ledger_entries_commitment_check" CHECK ("ledger_entries"."kind" <> 'commitment' or "ledger_entries"."amount_cents" > 0),
	CONSTRAINT "ledger_entries_payment_check" CHECK (("ledger_entries"."kind" = 'payment') = ("ledger_entries"."tranche" is not null) and ("ledger_entries"."kind" <> 'payment' or ("ledger_entries"."amount_cents" > 0 and "ledger_entries"."buses" = 0))),
	CONSTRAINT "ledger_entries_dossier_check" CHECK (("ledger_entries"."kind" in ('carry_over_out', 'carry_over_in')) = ("ledger_entries"."application_id" is null)),
	CONSTRAINT "ledger_entries_carry_over_check" CHECK (("ledger_entries"."kind" in ('carry_over_out', 'carry_over_in')) = ("ledger_entries"."counterpart_wave_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "simulation_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"wave_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"mode" "override_mode" NOT NULL,
	"awarded_cents" bigint,
	"justification" text NOT NULL,
	"author_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "simulation_overrides_amount_check" CHECK (("simulation_overrides"."mode" <> 'amount' or "simulation_overrides"."awarded_cents" is not null) and ("simulation_overrides"."mode" <> 'exclude' or "simulation_overrides"."awarded_cents" is null) and ("simulation_overrides"."awarded_cents" is null or "simulation_overrides"."awarded_cents" > 0))
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_reopened_by_users_id_fk" FOREIGN KEY ("reopened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_counterpart_wave_id_waves_id_fk" FOREIGN KEY ("counterpart_wave_id") REFERENCES "public"."waves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_overrides" ADD CONSTRAINT "simulation_overrides_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_overrides" ADD CONSTRAINT "simulation_overrides_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_overrides" ADD CONSTRAINT "simulation_overrides_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulation_overrides" ADD CONSTRAINT "simulation_overrides_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_current_unique" ON "decisions" USING btree ("application_id") WHERE "decisions"."reopened_at" is null;--> statement-breakpoint
CREATE INDEX "decisions_wave_idx" ON "decisions" USING btree ("wave_id","outcome");--> statement-breakpoint
CREATE INDEX "ledger_entries_wave_idx" ON "ledger_entries" USING btree ("wave_id","kind");--> statement-breakpoint
CREATE INDEX "ledger_entries_application_idx" ON "ledger_entries" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "simulation_overrides_active_unique" ON "simulation_overrides" USING btree ("wave_id","application_id") WHERE "simulation_overrides"."revoked_at" is null;