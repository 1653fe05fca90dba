CREATE TABLE `events` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`event` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `meta_tests` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`run_id` text,
	`input` text NOT NULL,
	`system_prompts` text NOT NULL,
	`task_ids` text NOT NULL,
	`created_at` text NOT NULL,
	`finished_at` text,
	`error` text,
	`calls` integer DEFAULT 0 NOT NULL,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `meta_tests_run_idx` ON `meta_tests` (`run_id`);--> statement-breakpoint
CREATE TABLE `nodes` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`step_key` text NOT NULL,
	`ordinal` integer NOT NULL,
	`parent_id` text,
	`kind` text NOT NULL,
	`task_id` text,
	`system_prompt` text NOT NULL,
	`user_prompt` text NOT NULL,
	`iteration` integer NOT NULL,
	`phase` text NOT NULL,
	`candidate_index` integer NOT NULL,
	`train_score` real,
	`test_score` real,
	`evaluation_ids` text NOT NULL,
	`dropped_reason` text,
	`base_train_calls` integer DEFAULT 0 NOT NULL,
	`base_test_calls` integer DEFAULT 0 NOT NULL,
	`optimizer_calls` integer DEFAULT 0 NOT NULL,
	`optimizer_retries` integer DEFAULT 0 NOT NULL,
	`cached_calls` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `nodes_run_idx` ON `nodes` (`run_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `nodes_step_idx` ON `nodes` (`run_id`,`step_key`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`simulated` integer NOT NULL,
	`task_ids` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`error` text,
	`progress` text,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`);--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`);--> statement-breakpoint
CREATE TABLE `steps` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `unseen_user_prompts` (
	`key` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`prompts` text NOT NULL,
	`created_at` text NOT NULL
);
