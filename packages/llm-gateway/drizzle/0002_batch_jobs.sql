CREATE TABLE `batch_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`protocol` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`model` text NOT NULL,
	`provider_batch_id` text,
	`state` text NOT NULL,
	`lines` integer NOT NULL,
	`created_at` integer NOT NULL,
	`submitted_at` integer,
	`ended_at` integer
);
--> statement-breakpoint
CREATE INDEX `batch_jobs_state_idx` ON `batch_jobs` (`state`);--> statement-breakpoint
CREATE TABLE `batch_lines` (
	`job_id` text NOT NULL,
	`cache_key` text NOT NULL,
	`run_id` text,
	`tag` text,
	`state` text NOT NULL,
	`submission` integer NOT NULL,
	`first_submitted_at` integer NOT NULL,
	PRIMARY KEY(`job_id`, `cache_key`)
);
--> statement-breakpoint
CREATE INDEX `batch_lines_key_idx` ON `batch_lines` (`cache_key`);