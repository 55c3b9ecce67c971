ALTER TABLE "mails" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "mails" ADD CONSTRAINT "mails_dedupe_key_unique" UNIQUE("dedupe_key");