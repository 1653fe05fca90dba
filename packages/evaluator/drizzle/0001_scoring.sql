ALTER TABLE `evaluations` ADD `scoring` text DEFAULT 'strict' NOT NULL;--> statement-breakpoint
ALTER TABLE `evaluations` ADD `format_failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Evaluations stored before this migration were all read leniently; their format failures are
-- the unreadable items whose call succeeded.
UPDATE `evaluations` SET `scoring` = 'lenient';--> statement-breakpoint
UPDATE `evaluations` SET `format_failures` = (
	SELECT count(*) FROM `evaluation_items`
	WHERE `evaluation_items`.`evaluation_seq` = `evaluations`.`seq`
		AND `evaluation_items`.`valid` = 0 AND `evaluation_items`.`error` IS NULL
);
