package mongostore

import (
	"context"
	"log/slog"
)

// Hooks into unexported code for the external tests of this package, which
// cannot be internal tests because portaltest imports mongostore.

// MigrateSteps applies the given steps instead of the built-in list.
func (db *DB) MigrateSteps(ctx context.Context, log *slog.Logger, steps []Migration) ([]int, error) {
	return db.migrate(ctx, log, steps)
}

// Translate is translate.
var Translate = translate

// BuiltinMigrations returns the list every start applies.
func BuiltinMigrations() []Migration { return migrations }
