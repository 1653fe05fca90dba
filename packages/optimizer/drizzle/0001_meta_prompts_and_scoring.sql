ALTER TABLE `meta_tests` ADD `scoring` text DEFAULT 'strict' NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `meta_prompts` text;