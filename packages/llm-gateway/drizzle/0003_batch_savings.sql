ALTER TABLE `batch_lines` ADD `reserved_usd` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ledger` ADD `saved_usd` real DEFAULT 0 NOT NULL;