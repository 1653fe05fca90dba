CREATE TABLE `leases` (
	`kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`acquired_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`cancel_requested_at` integer,
	PRIMARY KEY(`kind`, `subject_id`)
);
