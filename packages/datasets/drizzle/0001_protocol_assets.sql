CREATE TABLE `protocol_assets` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`repository` text NOT NULL,
	`commit` text NOT NULL,
	`path` text NOT NULL,
	`sha256` text NOT NULL,
	`records` integer NOT NULL,
	`content` text NOT NULL,
	`content_hash` text NOT NULL,
	`imported_at` text NOT NULL
);
