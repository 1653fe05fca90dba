ALTER TABLE `batch_jobs` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `batch_jobs` ADD `cancel_requested_at` integer;--> statement-breakpoint
ALTER TABLE `batch_jobs` ADD `cancel_acknowledged_at` integer;