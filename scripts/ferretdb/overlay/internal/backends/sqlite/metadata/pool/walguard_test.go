// Part of 码上商's patch set for FerretDB v1.24.2 (scripts/ferretdb/README.md in that project).

package pool

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/FerretDB/FerretDB/internal/util/state"
	"github.com/FerretDB/FerretDB/internal/util/testutil"
)

// walSizeAfterWrites writes about 8 MiB with SQLite's own checkpoint turned off (as when it is
// starved by readers) and returns the -wal file's size once the guard has had time to act.
func walSizeAfterWrites(t *testing.T, limit int64) int64 {
	t.Helper()

	ctx := testutil.Ctx(t)

	oldLimit, oldInterval := walLimit, walGuardInterval
	walLimit, walGuardInterval = limit, 10*time.Millisecond

	t.Cleanup(func() { walLimit, walGuardInterval = oldLimit, oldInterval })

	sp, err := state.NewProvider("")
	require.NoError(t, err)

	dir := t.TempDir()
	p, _, err := New("file:"+dir+"/?_pragma=wal_autocheckpoint(0)", testutil.Logger(t), sp)
	require.NoError(t, err)
	t.Cleanup(p.Close)

	db, _, err := p.GetOrCreate(ctx, "walguard")
	require.NoError(t, err)

	_, err = db.ExecContext(ctx, "CREATE TABLE t (v TEXT)")
	require.NoError(t, err)

	row := strings.Repeat("码上商", 1000)
	for i := 0; i < 2000; i++ {
		_, err = db.ExecContext(ctx, "INSERT INTO t (v) VALUES (?)", row)
		require.NoError(t, err)
	}

	time.Sleep(300 * time.Millisecond)

	fi, err := os.Stat(filepath.Join(dir, "walguard.sqlite-wal"))
	require.NoError(t, err)

	return fi.Size()
}

func TestWALGuard(t *testing.T) {
	// not parallel: it changes the guard's settings

	unguarded := walSizeAfterWrites(t, 1<<40)
	require.Greater(t, unguarded, int64(6<<20), "without the guard the log keeps every write")

	guarded := walSizeAfterWrites(t, 1<<20)
	require.LessOrEqual(t, guarded, int64(2<<20), "the guard keeps the log within twice its limit")
}
