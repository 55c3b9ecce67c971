CREATE TYPE "public"."decision_letter_status" AS ENUM('pending', 'prepared', 'failed', 'superseded');--> statement-breakpoint
CREATE TABLE "decision_letter_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"wave_id" uuid NOT NULL,
	"templates" jsonb NOT NULL,
	"origin" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decision_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"status" "decision_letter_status" DEFAULT 'pending' NOT NULL,
	"file_sha256" text,
	"mail_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"prepared_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decision_letters_decision_id_unique" UNIQUE("decision_id"),
	CONSTRAINT "decision_letters_prepared_check" CHECK ("decision_letters"."status" <> 'prepared' or "decision_letters"."file_sha256" is not null)
);
--> statement-breakpoint
ALTER TABLE "decision_letter_batches" ADD CONSTRAINT "decision_letter_batches_wave_id_waves_id_fk" FOREIGN KEY ("wave_id") REFERENCES "public"."waves"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_letter_batches" ADD CONSTRAINT "decision_letter_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_letters" ADD CONSTRAINT "decision_letters_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_letters" ADD CONSTRAINT "decision_letters_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_letters" ADD CONSTRAINT "decision_letters_batch_id_decision_letter_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."decision_letter_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decision_letter_batches_wave_idx" ON "decision_letter_batches" USING btree ("wave_id","created_at");--> statement-breakpoint
CREATE INDEX "decision_letters_batch_idx" ON "decision_letters" USING btree ("batch_id","status");--> statement-breakpoint
CREATE INDEX "decision_letters_application_idx" ON "decision_letters" USING btree ("application_id");