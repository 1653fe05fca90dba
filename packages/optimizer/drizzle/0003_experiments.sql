CREATE TABLE `experiment_cells` (
	`experiment_id` text NOT NULL,
	`key` text NOT NULL,
	`ordinal` integer NOT NULL,
	`kind` text NOT NULL,
	`domain` text NOT NULL,
	`seed` integer NOT NULL,
	`method` text,
	`run_id` text,
	`meta_test_id` text,
	`status` text NOT NULL,
	PRIMARY KEY(`experiment_id`, `key`),
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`plan` text NOT NULL,
	`simulated` integer NOT NULL,
	`created_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`error` text,
	`progress` text
);
--> statement-breakpoint
CREATE INDEX `experiments_created_idx` ON `experiments` (`created_at`);--> statement-breakpoint
ALTER TABLE `meta_tests` ADD `experiment_id` text;--> statement-breakpoint
CREATE INDEX `meta_tests_experiment_idx` ON `meta_tests` (`experiment_id`);--> statement-breakpoint
ALTER TABLE `runs` ADD `experiment_id` text;--> statement-breakpoint
CREATE INDEX `runs_experiment_idx` ON `runs` (`experiment_id`);