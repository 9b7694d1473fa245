// Part of 码上商's patch set for FerretDB v1.24.2 (scripts/ferretdb/README.md in that project).
//
// Filter and sort pushdown for the SQLite backend. Upstream pushes down only `_id` equality; every
// other query reads and decodes the whole table. This file turns the part of a MongoDB filter that
// SQLite can answer from the collection's own indexes into SQL. The SQL always selects a SUPERSET
// of the matching documents: the handler re-applies the whole filter in Go, so any condition this
// file cannot translate exactly is simply left out.

package sqlite

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
)

const (
	// maxBranches bounds the union a filter expands to ($or branches times $in values).
	maxBranches = 64
	// maxExpandedIn is the largest $in that becomes one branch per value; a larger one stays an IN list.
	maxExpandedIn = 16
	// idKeyColumn names the sort key in the branches of a sorted union.
	idKeyColumn = "_ferretdb_pushdown_key"
)

// pathSegment is a field name that can be written as FerretDB writes index expressions (`"name"`)
// and that MongoDB never reads as an array position.
var pathSegment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// sqlCond is one SQL condition on one path, with its arguments.
type sqlCond struct {
	path string // dotted path; "_id" for the document id
	sql  string
	args []any
	pin  string // for a single-value equality, the JSON text of the value; "" otherwise
}

// branch is a conjunction of conditions; a pushed filter is a disjunction of branches.
type branch []sqlCond

// trueFilter is the disjunction that selects every row.
func trueFilter() []branch { return []branch{{}} }

// pathExpr returns the SQL expression for a dotted path, written exactly as the metadata registry
// writes index columns, so that SQLite's planner matches it with the index; "" when the path cannot be pushed.
func pathExpr(path string) string {
	if path == "_id" {
		return metadata.IDColumn
	}

	segments := strings.Split(path, ".")
	for i, s := range segments {
		if !pathSegment.MatchString(s) || strings.HasPrefix(s, "_ferretdb_") {
			return ""
		}

		segments[i] = fmt.Sprintf("%q", s)
	}

	return metadata.DefaultColumn + "->" + strings.Join(segments, "->")
}

// scalarText returns the stored JSON text of a value that may be compared by text equality, or ok=false.
// Numbers are left out (1, 1.0 and int64(1) are equal for MongoDB, not as text), so are strings whose
// stored form is escaped (the stored escapes are those of whoever wrote the document).
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case types.ObjectID, bool, time.Time:
		b, err := sjson.MarshalSingleValue(v)
		if err != nil {
			return "", false
		}

		return string(b), true
	case string:
		b, err := sjson.MarshalSingleValue(v)
		if err != nil || string(b) != `"`+v+`"` {
			return "", false
		}

		return string(b), true
	default:
		return "", false
	}
}

// dateTextInRange returns the stored text of a date whose milliseconds have exactly 13 digits
// (2001-09-09 to 2286-11-20): among such numbers text order is numeric order.
func dateTextInRange(v any) (string, bool) {
	t, ok := v.(time.Time)
	if !ok {
		return "", false
	}

	ms := t.UnixMilli()
	if ms < 1_000_000_000_000 || ms > 9_999_999_999_999 {
		return "", false
	}

	return scalarText(t)
}

// objectIDText returns the stored text of an ObjectID (24 lowercase hex digits, so text order is value order).
func objectIDText(v any) (string, bool) {
	if _, ok := v.(types.ObjectID); !ok {
		return "", false
	}

	return scalarText(v)
}

// cross returns every conjunction of one branch of a with one branch of b, or a alone when that
// would exceed maxBranches (leaving b out keeps the result a superset).
func cross(a, b []branch) []branch {
	if len(a)*len(b) > maxBranches {
		return a
	}

	res := make([]branch, 0, len(a)*len(b))

	for _, x := range a {
		for _, y := range b {
			res = append(res, append(append(branch{}, x...), y...))
		}
	}

	return res
}

// filterBranches translates a filter document into a disjunction of conjunctions of conditions.
// Operators and values it does not know contribute nothing (true).
func filterBranches(filter *types.Document) []branch {
	res := trueFilter()

	if filter.Len() == 0 {
		return res
	}

	// With a repeated key, which one MongoDB applies is not ours to guess.
	if _, dup := filter.FindDuplicateKey(); dup {
		return res
	}

	keys, values := filter.Keys(), filter.Values()

	for i, key := range keys {
		switch key {
		case "$and":
			arr, ok := values[i].(*types.Array)
			if !ok {
				continue
			}

			for j := 0; j < arr.Len(); j++ {
				v, _ := arr.Get(j)
				if sub, ok := v.(*types.Document); ok {
					res = cross(res, filterBranches(sub))
				}
			}

		case "$or":
			res = cross(res, orBranches(values[i]))

		default:
			if strings.HasPrefix(key, "$") {
				continue
			}

			res = cross(res, fieldBranches(key, values[i]))
		}
	}

	return res
}

// orBranches is the union of an $or's branches, or true when any branch cannot be narrowed at all.
func orBranches(v any) []branch {
	arr, ok := v.(*types.Array)
	if !ok || arr.Len() == 0 {
		return trueFilter()
	}

	var res []branch

	for j := 0; j < arr.Len(); j++ {
		item, _ := arr.Get(j)

		sub, ok := item.(*types.Document)
		if !ok {
			return trueFilter()
		}

		bs := filterBranches(sub)
		for _, b := range bs {
			if len(b) == 0 {
				return trueFilter()
			}
		}

		res = append(res, bs...)
		if len(res) > maxBranches {
			return trueFilter()
		}
	}

	return res
}

// fieldBranches translates the condition on one field: an implicit equality or an operator document.
func fieldBranches(path string, v any) []branch {
	expr := pathExpr(path)
	if expr == "" {
		return trueFilter()
	}

	ops, isDoc := v.(*types.Document)
	if !isDoc || ops.Len() == 0 || !strings.HasPrefix(ops.Keys()[0], "$") {
		return equalityBranches(path, expr, []any{v})
	}

	if _, dup := ops.FindDuplicateKey(); dup {
		return trueFilter()
	}

	res := trueFilter()
	var lower, upper sqlCond // a date range is pushed only with both ends

	for i, op := range ops.Keys() {
		arg := ops.Values()[i]

		switch op {
		case "$eq":
			res = cross(res, equalityBranches(path, expr, []any{arg}))

		case "$in":
			arr, ok := arg.(*types.Array)
			if !ok {
				continue
			}

			values := make([]any, arr.Len())
			for j := range values {
				values[j], _ = arr.Get(j)
			}

			res = cross(res, equalityBranches(path, expr, values))

		case "$gt", "$gte", "$lt", "$lte":
			cmp := map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[op]

			if path == "_id" {
				if text, ok := objectIDText(arg); ok {
					res = cross(res, []branch{{{path: path, sql: expr + " " + cmp + " ?", args: []any{text}}}})
				}

				continue
			}

			if text, ok := dateTextInRange(arg); ok {
				c := sqlCond{path: path, sql: expr + " " + cmp + " ?", args: []any{text}}
				if strings.HasPrefix(op, "$g") {
					lower = c
				} else {
					upper = c
				}
			}
		}
	}

	if lower.sql != "" && upper.sql != "" {
		res = cross(res, []branch{{{path: path, sql: lower.sql + " AND " + upper.sql, args: append(lower.args, upper.args...)}}})
	}

	return res
}

// equalityBranches matches any of values: one branch per value (each an index point), or one IN
// list when there are many; true when any value cannot be compared as text (superset).
func equalityBranches(path, expr string, values []any) []branch {
	if len(values) == 0 {
		return trueFilter()
	}

	texts := make([]any, len(values))

	for i, v := range values {
		text, ok := scalarText(v)
		if !ok {
			return trueFilter()
		}

		texts[i] = text
	}

	if len(texts) > maxExpandedIn {
		placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(texts)), ", ")
		return []branch{{{path: path, sql: expr + " IN (" + placeholders + ")", args: texts}}}
	}

	res := make([]branch, len(texts))
	for i, text := range texts {
		res[i] = branch{{path: path, sql: expr + " = ?", args: []any{text}, pin: text.(string)}}
	}

	return res
}

// prober answers, for one query, whether a condition on a path may be pushed: MongoDB's equality
// also matches an element of an array, a path through an array reaches into its elements, and the
// text comparisons above know neither. A condition is kept only where an index lets SQLite prove,
// with index seeks, that no row the branch can select has an array at the path or on the way to it.
type prober struct {
	ctx     context.Context
	db      *fsql.DB
	table   string
	indexes []metadata.IndexInfo
	cache   map[string]bool
}

// safeBranch keeps the conditions of b that are safe to push.
func (p *prober) safeBranch(b branch) (branch, error) {
	var kept branch

	pending := make([]sqlCond, 0, len(b))
	pins := map[string]sqlCond{} // safe single-value equalities by path

	for _, c := range b {
		if c.path == "_id" {
			kept = append(kept, c)
			continue
		}

		pending = append(pending, c)
	}

	// A condition becomes provable once the keys before its path in some index are pinned by safe
	// equalities; proving one may pin another, so go round until nothing changes.
	for progress := true; progress && len(pending) > 0; {
		progress = false

		var still []sqlCond

		for _, c := range pending {
			scope, ok := p.scopeFor(c.path, pins)
			if !ok {
				still = append(still, c)
				continue
			}

			safe, err := p.probe(c.path, scope)
			if err != nil {
				return nil, err
			}

			progress = true

			if !safe {
				continue
			}

			kept = append(kept, c)
			if c.pin != "" {
				if _, seen := pins[c.path]; !seen {
					pins[c.path] = c
				}
			}
		}

		pending = still
	}

	return kept, nil
}

// scopeFor returns the pinned conditions preceding path in an index that contains path, or ok=false.
func (p *prober) scopeFor(path string, pins map[string]sqlCond) ([]sqlCond, bool) {
	for _, index := range p.indexes {
		var scope []sqlCond

		for _, key := range index.Key {
			if key.Field == path {
				return scope, true
			}

			pin, ok := pins[key.Field]
			if !ok {
				break
			}

			scope = append(scope, pin)
		}
	}

	return nil, false
}

// isArray is true when the JSON text of expr is an array: the texts from "[" up to, not including,
// the backslash (the next character); written as a range, so that an index on expr answers it.
func isArray(expr string) string { return fmt.Sprintf(`%s >= '[' AND %s < '\'`, expr, expr) }

// probe tells whether no row within scope has an array at path or on the way to it.
func (p *prober) probe(path string, scope []sqlCond) (bool, error) {
	expr := pathExpr(path)

	where := make([]string, 0, len(scope)+1)
	var args []any

	for _, c := range scope {
		where = append(where, c.sql)
		args = append(args, c.args...)
	}

	scopeSQL := strings.Join(append(where, "1"), " AND ")

	// An array at the path itself.
	bad := fmt.Sprintf(`SELECT 1 FROM %q WHERE %s AND %s`, p.table, scopeSQL, isArray(expr))

	// For a.b.c: an array at a or a.b, where the path yields no value (SQL NULL); the index finds
	// the rows without a value, few in practice, and only they are looked into.
	if segments := strings.Split(path, "."); len(segments) > 1 {
		prefixes := make([]string, len(segments)-1)
		for i := range prefixes {
			prefixes[i] = isArray(pathExpr(strings.Join(segments[:i+1], ".")))
		}

		bad += fmt.Sprintf(
			` UNION ALL SELECT 1 FROM %q WHERE %s AND %s IS NULL AND (%s)`,
			p.table, scopeSQL, expr, strings.Join(prefixes, " OR "),
		)
		args = append(args, args...)
	}

	q := `SELECT EXISTS (` + bad + `)`

	key := q + fmt.Sprint(args...)
	if safe, ok := p.cache[key]; ok {
		return safe, nil
	}

	var found bool
	if err := p.db.QueryRowContext(p.ctx, q, args...).Scan(&found); err != nil {
		return false, err
	}

	p.cache[key] = !found

	return !found, nil
}

// indexedBy names, for a branch read in _id order, an index whose keys before _id are all pinned by
// the branch's equalities (" INDEXED BY ..."), else "". SQLite is not told that the handler stops
// after a page, so it plans for reading every row: it would seek a range on another index (a
// deadline, say) and sort all it finds, where walking this index in _id order and testing the
// other conditions on its entries stops after a page.
func (p *prober) indexedBy(b branch) string {
	pinned := map[string]bool{}

	for _, c := range b {
		if c.pin != "" {
			pinned[c.path] = true
		}
	}

	var best string
	var bestPrefix int

	for _, index := range p.indexes {
		for i, key := range index.Key {
			if key.Field == "_id" {
				// the longest pinned prefix reads the fewest entries
				if i > bestPrefix {
					best, bestPrefix = index.Name, i
				}

				break
			}

			if !pinned[key.Field] {
				break
			}
		}
	}

	if best == "" {
		return ""
	}

	return fmt.Sprintf(" INDEXED BY %q", p.table+"_"+best)
}

// pushdownQuery is the SQL a query runs, and what it pushed down.
type pushdownQuery struct {
	sql            string
	args           []any
	filterPushdown bool
	sortPushdown   bool
}

// sqlOrder returns the SQL direction of an IDSort value (1 or -1), else "".
func sqlOrder(idSort int64) string {
	switch idSort {
	case 1:
		return "ASC"
	case -1:
		return "DESC"
	default:
		return ""
	}
}

// buildPushdownQuery writes the SELECT for a query on a non-capped collection, in _id order when
// idSort is 1 or -1 (the caller has made sure that every _id is an ObjectID).
func buildPushdownQuery(p *prober, selectClause string, filter *types.Document, idSort int64) (*pushdownQuery, error) {
	var branches []branch

	for _, b := range filterBranches(filter) {
		kept, err := p.safeBranch(b)
		if err != nil {
			return nil, err
		}

		// One branch that narrows nothing selects every row: the union is the whole table.
		if len(kept) == 0 {
			branches = nil
			break
		}

		branches = append(branches, kept)
	}

	order := sqlOrder(idSort)

	res := &pushdownQuery{filterPushdown: len(branches) > 0, sortPushdown: order != ""}

	where := func(b branch) string {
		conds := make([]string, len(b))
		for i, c := range b {
			conds[i] = c.sql
			res.args = append(res.args, c.args...)
		}

		return " WHERE " + strings.Join(conds, " AND ")
	}

	switch {
	case len(branches) <= 1:
		res.sql = selectClause
		if len(branches) == 1 {
			if order != "" {
				res.sql += p.indexedBy(branches[0])
			}

			res.sql += where(branches[0])
		}

		if order != "" {
			res.sql += fmt.Sprintf(" ORDER BY %s %s", metadata.IDColumn, order)
		}

	case order != "":
		// Each branch is one index range in _id order; SQLite merges them (MERGE (UNION)) without a
		// sort, and UNION drops a document that two branches both select.
		parts := make([]string, len(branches))
		for i, b := range branches {
			parts[i] = fmt.Sprintf("SELECT %s, %s AS %s FROM %q%s%s", metadata.DefaultColumn, metadata.IDColumn, idKeyColumn, p.table, p.indexedBy(b), where(b))
		}

		res.sql = fmt.Sprintf("SELECT %s FROM (%s ORDER BY %s %s)", metadata.DefaultColumn, strings.Join(parts, " UNION "), idKeyColumn, order)

	default:
		parts := make([]string, len(branches))
		for i, b := range branches {
			parts[i] = selectClause + where(b)
		}

		res.sql = strings.Join(parts, " UNION ")
	}

	return res, nil
}

// idTypes remembers, per table, whether every _id ever stored is an ObjectID, which makes the text
// order of the _id index the order MongoDB sorts _id in (a string or number _id would sort elsewhere).
// It is learnt once per process by one scan in the background and kept up by every insert.
var idTypes = struct {
	sync.Mutex
	state map[string]idState
}{state: map[string]idState{}}

type idState int

const (
	idUnknown idState = iota
	idChecking
	idObjectIDsOnly
	idMixed
)

// idTypesKey names a table across databases.
func idTypesKey(dbName, table string) string { return dbName + "\x00" + table }

// noteInsertedIDs records inserted documents whose _id is not an ObjectID; it is called for every insert.
func noteInsertedIDs(dbName, table string, docs []*types.Document) {
	for _, doc := range docs {
		id, _ := doc.Get("_id")
		if _, ok := id.(types.ObjectID); ok {
			continue
		}

		idTypes.Lock()
		idTypes.state[idTypesKey(dbName, table)] = idMixed
		idTypes.Unlock()

		return
	}
}

// sortByIDAllowed reports whether every _id of the table is known to be an ObjectID; when nobody
// knows yet, it starts the check (the answer is false until it is done).
func sortByIDAllowed(db *fsql.DB, dbName, table string) bool {
	key := idTypesKey(dbName, table)

	idTypes.Lock()
	state := idTypes.state[key]
	if state == idUnknown {
		idTypes.state[key] = idChecking
	}
	idTypes.Unlock()

	if state == idUnknown {
		go checkIDTypes(db, key, table)
	}

	return state == idObjectIDsOnly
}

// checkIDTypes looks for one stored _id that is not an ObjectID (its type is in the document's schema).
// An insert during the check marks the table mixed, and mixed is never undone.
func checkIDTypes(db *fsql.DB, key, table string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	q := fmt.Sprintf(`SELECT EXISTS (SELECT 1 FROM %q WHERE %s->>'$."$s".p._id.t' IS NOT 'objectId')`, table, metadata.DefaultColumn)

	var found bool
	err := db.QueryRowContext(ctx, q).Scan(&found)

	idTypes.Lock()
	defer idTypes.Unlock()

	if idTypes.state[key] != idChecking {
		return
	}

	switch {
	case err != nil:
		idTypes.state[key] = idUnknown // ask again next time
	case found:
		idTypes.state[key] = idMixed
	default:
		idTypes.state[key] = idObjectIDsOnly
	}
}

// pushdown writes the SQL of Query and Explain for a non-capped collection.
func (c *collection) pushdown(ctx context.Context, db *fsql.DB, meta *metadata.Collection, selectClause string, filter *types.Document, idSort int64) (*pushdownQuery, error) { //nolint:lll // for readability
	if idSort != 0 && !sortByIDAllowed(db, c.dbName, meta.TableName) {
		idSort = 0
	}

	p := &prober{
		ctx:     ctx,
		db:      db,
		table:   meta.TableName,
		indexes: meta.Settings.Indexes,
		cache:   map[string]bool{},
	}

	return buildPushdownQuery(p, selectClause, filter, idSort)
}

// explainQueryPlan returns SQLite's EXPLAIN QUERY PLAN of q as upstream's Explain formats it.
func explainQueryPlan(ctx context.Context, db *fsql.DB, q string, args []any) (*types.Array, error) {
	rows, err := db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		return nil, err
	}

	defer rows.Close()

	plan := types.MakeArray(0)

	for rows.Next() {
		var id, parent, notused int32
		var detail string

		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, err
		}

		plan.Append(fmt.Sprintf("id=%d parent=%d notused=%d detail=%s", id, parent, notused, detail))
	}

	return plan, rows.Err()
}
