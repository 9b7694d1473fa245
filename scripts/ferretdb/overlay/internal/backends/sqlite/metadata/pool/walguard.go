// Part of 码上商's patch set for FerretDB v1.24.2 (scripts/ferretdb/README.md in that project).

package pool

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/FerretDB/FerretDB/internal/util/logging"
)

// walLimitEnv overrides walLimit (bytes).
const walLimitEnv = "FERRETDB_SQLITE_WAL_LIMIT"

// walLimit is the size past which the guard checkpoints a database's write-ahead log.
// SQLite's automatic checkpoint (every 1000 pages) cannot reset the log while readers follow one
// another without a gap, and the log then grows without end (1.5 GB seen beside 63 MB of data).
var walLimit int64 = 64 << 20

// walGuardInterval is how often the guard looks at the log's size.
var walGuardInterval = time.Second

func init() {
	if v, err := strconv.ParseInt(os.Getenv(walLimitEnv), 10, 64); err == nil && v > 0 {
		walLimit = v
	}
}

// startWALGuard watches the -wal file of db's main database and, once it is larger than walLimit,
// runs a TRUNCATE checkpoint: it waits (up to the busy timeout) for the readers of older snapshots
// to finish, copies the log into the database and empties the file. It stops when db is closed.
func startWALGuard(db *sql.DB, l *slog.Logger) {
	var seq int
	var name, file string

	if err := db.QueryRow("PRAGMA database_list").Scan(&seq, &name, &file); err != nil || file == "" {
		return
	}

	wal := file + "-wal"

	go func() {
		t := time.NewTicker(walGuardInterval)
		defer t.Stop()

		for range t.C {
			fi, err := os.Stat(wal)
			if err != nil || fi.Size() <= walLimit {
				if db.Ping() != nil {
					return // closed
				}

				continue
			}

			var busy, logPages, checkpointed int

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &checkpointed)
			cancel()

			switch {
			case err != nil && db.Ping() != nil:
				return // closed
			case err != nil:
				l.Warn("WAL checkpoint failed", slog.String("wal", wal), logging.Error(err))
			case busy != 0:
				l.Warn("WAL checkpoint could not finish; retrying", slog.String("wal", wal), slog.Int64("bytes", fi.Size()))
			default:
				l.Info("WAL checkpointed", slog.String("wal", wal), slog.Int64("bytes", fi.Size()), slog.Int("pages", checkpointed))
			}
		}
	}()
}
