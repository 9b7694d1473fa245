// Part of 码上商's patch set for FerretDB v1.24.2 (scripts/ferretdb/README.md in that project).

package sqlite

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/must"
	"github.com/FerretDB/FerretDB/internal/util/state"
	"github.com/FerretDB/FerretDB/internal/util/testutil"
)

func doc(pairs ...any) *types.Document { return must.NotFail(types.NewDocument(pairs...)) }

func arr(values ...any) *types.Array { return must.NotFail(types.NewArray(values...)) }

func oid(n byte) types.ObjectID { return types.ObjectID{0x65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n} }

// branchSQL renders a disjunction as text, for comparing with what is expected.
func branchSQL(bs []branch) []string {
	res := make([]string, len(bs))

	for i, b := range bs {
		conds := make([]string, len(b))
		for j, c := range b {
			conds[j] = c.sql
		}

		res[i] = strings.Join(conds, " AND ")
	}

	return res
}

func TestPathExpr(t *testing.T) {
	t.Parallel()

	assert.Equal(t, `_ferretdb_sjson->"_id"`, pathExpr("_id"))
	assert.Equal(t, `_ferretdb_sjson->"status"`, pathExpr("status"))
	assert.Equal(t, `_ferretdb_sjson->"recipient"->"kind"`, pathExpr("recipient.kind"))

	for _, path := range []string{"a.0", "a..b", "$a", "a-b", "名字", "_ferretdb_x", ""} {
		assert.Empty(t, pathExpr(path), "%q must not be pushed", path)
	}
}

func TestScalarText(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct {
		v    any
		text string
		ok   bool
	}{
		{"assigned", `"assigned"`, true},
		{"长安镇", `"长安镇"`, true},
		{oid(7), `"650000000000000000000007"`, true},
		{true, `true`, true},
		{time.UnixMilli(1_700_000_000_000), `1700000000000`, true},
		{`a"b`, "", false},      // escaped when stored
		{"a<b", "", false},      // Go's JSON escapes <, > and &
		{"tab\tx", "", false},   // control characters are escaped
		{int32(1), "", false},   // 1, 1.0 and int64(1) are equal, their texts are not
		{float64(1), "", false}, //
		{types.Null, "", false},
		{doc("a", "b"), "", false},
	} {
		text, ok := scalarText(tc.v)
		assert.Equal(t, tc.ok, ok, "%#v", tc.v)
		assert.Equal(t, tc.text, text, "%#v", tc.v)
	}
}

func TestFilterBranches(t *testing.T) {
	t.Parallel()

	day := time.UnixMilli(1_760_000_000_000)
	dayEnd := time.UnixMilli(1_760_086_400_000)

	for name, tc := range map[string]struct {
		filter *types.Document
		sql    []string
	}{
		"empty": {doc(), []string{""}},
		"equality": {
			doc("status", "assigned"),
			[]string{`_ferretdb_sjson->"status" = ?`},
		},
		"and of fields": {
			doc("studioId", oid(1), "status", doc("$in", arr("assigned", "replied"))),
			[]string{
				`_ferretdb_sjson->"studioId" = ? AND _ferretdb_sjson->"status" = ?`,
				`_ferretdb_sjson->"studioId" = ? AND _ferretdb_sjson->"status" = ?`,
			},
		},
		"or": {
			doc("$or", arr(doc("assigneeId", oid(1)), doc("studioId", oid(2), "status", "pending"))),
			[]string{
				`_ferretdb_sjson->"assigneeId" = ?`,
				`_ferretdb_sjson->"studioId" = ? AND _ferretdb_sjson->"status" = ?`,
			},
		},
		"or with a branch that narrows nothing is true": {
			doc("$or", arr(doc("assigneeId", oid(1)), doc("n", int32(3)))),
			[]string{""},
		},
		"and operator": {
			doc("$and", arr(doc("a", true), doc("b", "x"))),
			[]string{`_ferretdb_sjson->"a" = ? AND _ferretdb_sjson->"b" = ?`},
		},
		"_id range": {
			doc("_id", doc("$lt", oid(9))),
			[]string{`_ferretdb_sjson->"_id" < ?`},
		},
		"date range needs both ends": {
			doc("dueAt", doc("$lt", dayEnd)),
			[]string{""},
		},
		"date range": {
			doc("dueAt", doc("$gte", day, "$lt", dayEnd)),
			[]string{`_ferretdb_sjson->"dueAt" >= ? AND _ferretdb_sjson->"dueAt" < ?`},
		},
		"dates before 2001 are not text-ordered": {
			doc("dueAt", doc("$gte", time.UnixMilli(0), "$lt", dayEnd)),
			[]string{""},
		},
		"unknown operators narrow nothing": {
			doc("status", doc("$ne", "closed"), "n", doc("$gt", int32(1)), "$comment", "x"),
			[]string{""},
		},
		"escaped value in $in leaves the field out": {
			doc("status", doc("$in", arr("ok", `q"uote`))),
			[]string{""},
		},
		"large $in is one IN list": {
			doc("status", doc("$in", arr("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"))),
			[]string{`_ferretdb_sjson->"status" IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		},
		"duplicate keys narrow nothing": {
			must.NotFail(types.NewDocument("status", "a", "status", "b")),
			[]string{""},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.sql, branchSQL(filterBranches(tc.filter)))
		})
	}
}

func TestCrossBound(t *testing.T) {
	t.Parallel()

	values := make([]any, maxExpandedIn)
	for i := range values {
		values[i] = string(rune('a' + i))
	}

	// 16 × 16 branches would exceed maxBranches: the second field is left out (a superset).
	f := doc("a", doc("$in", arr(values...)), "b", doc("$in", arr(values...)))
	bs := filterBranches(f)
	assert.Len(t, bs, maxExpandedIn)

	for _, b := range bs {
		assert.Len(t, b, 1)
		assert.Equal(t, "a", b[0].path)
	}
}

// testCollection is a collection of a real SQLite backend with the indexes the cases need.
func testCollection(t *testing.T) backends.Collection {
	t.Helper()

	ctx := testutil.Ctx(t)

	sp, err := state.NewProvider("")
	require.NoError(t, err)

	b, err := NewBackend(&NewBackendParams{URI: testutil.TestSQLiteURI(t, ""), L: testutil.Logger(t), P: sp, BatchSize: 100})
	require.NoError(t, err)
	t.Cleanup(b.Close)

	db, err := b.Database(testutil.DatabaseName(t))
	require.NoError(t, err)

	c, err := db.Collection(testutil.CollectionName(t))
	require.NoError(t, err)

	_, err = c.InsertAll(ctx, &backends.InsertAllParams{Docs: []*types.Document{doc("_id", oid(0), "status", "seed")}})
	require.NoError(t, err)

	_, err = c.CreateIndexes(ctx, &backends.CreateIndexesParams{Indexes: []backends.IndexInfo{
		{Name: "status_id", Key: []backends.IndexKeyPair{{Field: "status"}, {Field: "_id", Descending: true}}},
		{Name: "studio_status", Key: []backends.IndexKeyPair{{Field: "studioId"}, {Field: "status"}, {Field: "_id"}}},
		{Name: "recipient", Key: []backends.IndexKeyPair{{Field: "recipient.kind"}, {Field: "recipient.id"}, {Field: "_id"}}},
		{Name: "due", Key: []backends.IndexKeyPair{{Field: "dueAt"}}},
		{Name: "status_due", Key: []backends.IndexKeyPair{{Field: "status"}, {Field: "dueAt"}}},
	}})
	require.NoError(t, err)

	return c
}

func insert(t *testing.T, c backends.Collection, docs ...*types.Document) {
	t.Helper()

	_, err := c.InsertAll(testutil.Ctx(t), &backends.InsertAllParams{Docs: docs})
	require.NoError(t, err)
}

// query returns the _id of every document Query returns, in its order, and whether it sorted.
func query(t *testing.T, c backends.Collection, filter *types.Document, idSort int64) ([]any, bool) {
	t.Helper()

	res, err := c.Query(testutil.Ctx(t), &backends.QueryParams{Filter: filter, IDSort: idSort})
	require.NoError(t, err)

	defer res.Iter.Close()

	var ids []any

	for {
		_, d, err := res.Iter.Next()
		if err != nil {
			require.ErrorIs(t, err, iterator.ErrIteratorDone)
			break
		}

		ids = append(ids, must.NotFail(d.Get("_id")))
	}

	return ids, res.SortPushdown
}

func explain(t *testing.T, c backends.Collection, filter *types.Document, idSort int64) (string, bool, bool) {
	t.Helper()

	res, err := c.Explain(testutil.Ctx(t), &backends.ExplainParams{Filter: filter, IDSort: idSort})
	require.NoError(t, err)

	plan := must.NotFail(res.QueryPlanner.Get("Plan")).(*types.Array)

	var lines []string
	for i := 0; i < plan.Len(); i++ {
		lines = append(lines, must.NotFail(plan.Get(i)).(string))
	}

	return strings.Join(lines, "\n"), res.FilterPushdown, res.SortPushdown
}

// waitSortable waits for the background check of the table's _id types.
func waitSortable(t *testing.T, c backends.Collection) bool {
	t.Helper()

	for i := 0; i < 200; i++ {
		if _, sorted := query(t, c, doc(), -1); sorted {
			return true
		}

		time.Sleep(10 * time.Millisecond)
	}

	return false
}

func TestPushdownUsesIndexes(t *testing.T) {
	t.Parallel()

	c := testCollection(t)

	for i := byte(1); i <= 40; i++ {
		status := []string{"assigned", "replied", "closed"}[i%3]
		studio := oid(100 + i%4)
		insert(t, c, doc("_id", oid(i), "status", status, "studioId", studio, "recipient", doc("kind", "member", "id", oid(i%5))))
	}

	require.True(t, waitSortable(t, c))

	plan, filtered, sorted := explain(t, c, doc("status", "assigned"), -1)
	assert.True(t, filtered)
	assert.True(t, sorted)
	assert.Contains(t, plan, "_status_id (")
	assert.NotContains(t, plan, "TEMP B-TREE", "the index gives the order")

	ids, sorted := query(t, c, doc("status", "assigned"), -1)
	assert.True(t, sorted)
	assert.Len(t, ids, 13)

	for i := 1; i < len(ids); i++ {
		prev, cur := ids[i-1].(types.ObjectID), ids[i].(types.ObjectID)
		assert.Positive(t, strings.Compare(string(prev[:]), string(cur[:])), "newest first")
	}

	// A deadline range beside a pinned status, in _id order: the walk of (status, _id) is forced, which
	// stops after a page, instead of the deadline range sorted whole.
	day := time.UnixMilli(1_760_000_000_000)
	overdue := doc("status", "assigned", "dueAt", doc("$gt", day, "$lt", day.Add(time.Hour)))
	plan, filtered, sorted = explain(t, c, overdue, -1)
	assert.True(t, filtered)
	assert.True(t, sorted)
	assert.Contains(t, plan, "_status_id (")
	assert.NotContains(t, plan, "TEMP B-TREE")

	// An $or whose branches are index ranges: merged in _id order without a sort.
	or := doc("$or", arr(doc("status", "assigned"), doc("studioId", oid(101), "status", "closed")))
	plan, filtered, sorted = explain(t, c, or, -1)
	assert.True(t, filtered)
	assert.True(t, sorted)
	assert.Contains(t, plan, "MERGE (UNION)")
	assert.NotContains(t, plan, "SCAN "+"\"")

	ids, _ = query(t, c, or, -1)
	assert.Len(t, ids, 13+3)

	// A dotted path on its compound index.
	plan, filtered, _ = explain(t, c, doc("recipient.kind", "member", "recipient.id", oid(2)), 0)
	assert.True(t, filtered)
	assert.Contains(t, plan, "_recipient (")

	ids, _ = query(t, c, doc("recipient.kind", "member", "recipient.id", oid(2)), 0)
	assert.Len(t, ids, 8)
}

func TestPushdownArraysAreNeverMissed(t *testing.T) {
	t.Parallel()

	c := testCollection(t)

	insert(t, c,
		doc("_id", oid(1), "status", "assigned", "studioId", oid(101)),
		doc("_id", oid(2), "status", arr("assigned", "other"), "studioId", oid(102)),
		doc("_id", oid(3), "status", "closed", "studioId", arr(oid(101), oid(102))),
	)

	// status holds an array somewhere: equality on it is not pushed, and the array's document is returned.
	_, filtered, _ := explain(t, c, doc("status", "assigned"), 0)
	assert.False(t, filtered)

	// The backend returns a superset (the handler filters); what matters is that nothing is missing.
	ids, _ := query(t, c, doc("status", "assigned"), 0)
	assert.Subset(t, ids, []any{oid(1), oid(2)})

	// studioId has an array too.
	ids, _ = query(t, c, doc("studioId", oid(102)), 0)
	assert.Contains(t, ids, oid(2))
	assert.Contains(t, ids, oid(3))

	// A dotted path that runs through an array (recipient is an array of documents) is not pushed.
	insert(t, c, doc("_id", oid(4), "recipient", arr(doc("kind", "member", "id", oid(9)))))
	_, filtered, _ = explain(t, c, doc("recipient.kind", "member"), 0)
	assert.False(t, filtered)

	ids, _ = query(t, c, doc("recipient.kind", "member"), 0)
	assert.Contains(t, ids, oid(4))
}

func TestPushdownDottedPathMissingIsSafe(t *testing.T) {
	t.Parallel()

	c := testCollection(t)

	// recipient missing, a scalar or an object without kind: no MongoDB match either, so still pushed.
	insert(t, c,
		doc("_id", oid(1), "recipient", doc("kind", "member", "id", oid(9))),
		doc("_id", oid(2), "recipient", "someone"),
		doc("_id", oid(3), "recipient", doc("id", oid(9))),
	)

	_, filtered, _ := explain(t, c, doc("recipient.kind", "member"), 0)
	assert.True(t, filtered)

	ids, _ := query(t, c, doc("recipient.kind", "member"), 0)
	assert.Equal(t, []any{oid(1)}, ids)
}

func TestPushdownScopedProbe(t *testing.T) {
	t.Parallel()

	c := testCollection(t)

	// status is an array only in studio 102's documents: within studio 101 it is safe.
	insert(t, c,
		doc("_id", oid(1), "studioId", oid(101), "status", "assigned"),
		doc("_id", oid(2), "studioId", oid(102), "status", arr("assigned")),
	)

	_, filtered, _ := explain(t, c, doc("studioId", oid(101), "status", "assigned"), 0)
	assert.True(t, filtered)

	_, filtered, _ = explain(t, c, doc("studioId", oid(102), "status", "assigned"), 0)
	assert.True(t, filtered, "studioId is still pushed")

	ids, _ := query(t, c, doc("studioId", oid(102), "status", "assigned"), 0)
	assert.Equal(t, []any{oid(2)}, ids)
}

func TestPushdownMixedIDsAreNotSorted(t *testing.T) {
	t.Parallel()

	c := testCollection(t)

	insert(t, c, doc("_id", oid(1), "status", "a"))
	require.True(t, waitSortable(t, c))

	insert(t, c, doc("_id", "text-id", "status", "a"))

	_, sorted := query(t, c, doc("status", "a"), 1)
	assert.False(t, sorted, "a string _id sorts before ObjectIDs in MongoDB, not by text")
}
