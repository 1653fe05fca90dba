CREATE TABLE `datasets` (
	`task_id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`origin` text NOT NULL,
	`files` text NOT NULL,
	`records_read` integer NOT NULL,
	`train_count` integer NOT NULL,
	`test_count` integer NOT NULL,
	`skipped` text NOT NULL,
	`split_method` text NOT NULL,
	`content_hash` text NOT NULL,
	`imported_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `examples` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`split` text NOT NULL,
	`ordinal` integer NOT NULL,
	`question` text NOT NULL,
	`answer` text NOT NULL,
	`accepted_answers` text,
	`options` text,
	FOREIGN KEY (`task_id`) REFERENCES `datasets`(`task_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `examples_task_split_ordinal` ON `examples` (`task_id`,`split`,`ordinal`);--> statement-breakpoint
CREATE TABLE `user_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`spec` text NOT NULL,
	`created_at` text NOT NULL
);
