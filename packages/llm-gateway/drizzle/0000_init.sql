CREATE TABLE `budgets` (
	`run_id` text PRIMARY KEY NOT NULL,
	`max_usd` real,
	`max_calls` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cache_entries` (
	`key` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`text` text NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`finish_reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger` (
	`id` integer PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`run_id` text,
	`tag` text,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`cached` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`latency_ms` real NOT NULL,
	`cost_usd` real,
	`status` text NOT NULL,
	`error_kind` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ledger_run_idx` ON `ledger` (`run_id`);