CREATE TABLE `evaluation_items` (
	`evaluation_seq` integer NOT NULL,
	`position` integer NOT NULL,
	`example_id` text NOT NULL,
	`question` text NOT NULL,
	`gold` text NOT NULL,
	`response` text NOT NULL,
	`prediction` text,
	`valid` integer NOT NULL,
	`correct` integer NOT NULL,
	`error` text,
	PRIMARY KEY(`evaluation_seq`, `position`),
	FOREIGN KEY (`evaluation_seq`) REFERENCES `evaluations`(`seq`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `evaluations` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`task_id` text NOT NULL,
	`split` text NOT NULL,
	`model` text NOT NULL,
	`metric` text NOT NULL,
	`score` real NOT NULL,
	`correct` integer NOT NULL,
	`n` integer NOT NULL,
	`prompt_tokens` integer NOT NULL,
	`completion_tokens` integer NOT NULL,
	`calls` integer NOT NULL,
	`cached_calls` integer NOT NULL,
	`system_prompt` text NOT NULL,
	`user_prompt` text NOT NULL,
	`system_placement` text NOT NULL,
	`seed` integer NOT NULL,
	`temperature` real NOT NULL,
	`sample_index` integer NOT NULL,
	`run_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluations_id_unique` ON `evaluations` (`id`);--> statement-breakpoint
CREATE INDEX `evaluations_run_idx` ON `evaluations` (`run_id`);--> statement-breakpoint
CREATE INDEX `evaluations_task_idx` ON `evaluations` (`task_id`);