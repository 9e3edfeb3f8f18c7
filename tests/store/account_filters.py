"""Does a SQL statement pin every tenant table it touches to an account?

The rule that lets a Citus-style cluster route a statement to the one shard of its tenant
(docs/scaling.md): every reference to a table distributed by ``account_id`` is filtered by
it (``t.account_id = $1``, ``= ANY($2)``, ``IN (...)``, ``(SELECT $1)``), or joined by it to a
reference that is (``l.account_id = o.account_id``: co-located). An INSERT into such a table
names its ``account_id``. ``accounts`` is distributed by its ``id``.

The statement is parsed by PostgreSQL's own parser (``pglast``), scope by scope: each SELECT,
UPDATE, DELETE or INSERT (a CTE's, a subquery's) has its own tables; a correlated subquery
may pin its tables to the outer query's. Only conjuncts count (an ``OR`` pins nothing).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from pglast import ast, parse_sql
from pglast.enums import A_Expr_Kind, BoolExprType

from orderyard.store.tables import metadata

DISTRIBUTED_BY = {
    name: "account_id" for name, table in metadata.tables.items() if "account_id" in table.c
} | {"accounts": "id"}
"""Each distributed table and its distribution column."""


@dataclass(eq=False)
class _Ref:
    """One reference to a distributed table in a statement."""

    table: str
    alias: str
    parent: "_Ref | None" = None
    pinned: bool = False

    def root(self) -> "_Ref":
        ref = self
        while ref.parent is not None:
            ref = ref.parent
        return ref


@dataclass(eq=False)
class _Scope:
    outer: "_Scope | None"
    refs: dict[str, _Ref] = field(default_factory=dict)
    ctes: set[str] = field(default_factory=set)

    def cte(self, name: str) -> bool:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.ctes:
                return True
            scope = scope.outer
        return False

    def resolve(self, fields: tuple[str, ...]) -> _Ref | None:
        """The distributed reference whose distribution column ``fields`` names, if any."""
        names = [f.sval for f in fields if isinstance(f, ast.String)]
        if not names:
            return None
        column, qualifier = names[-1], names[-2] if len(names) > 1 else None
        scope: _Scope | None = self
        while scope is not None:
            if qualifier is not None:
                ref = scope.refs.get(qualifier)
                if ref is not None:
                    return ref if DISTRIBUTED_BY[ref.table] == column else None
            else:
                owners = [r for r in scope.refs.values() if DISTRIBUTED_BY[r.table] == column]
                if len(owners) == 1:
                    return owners[0]
            scope = scope.outer
        return None


@dataclass
class _Walk:
    refs: list[_Ref] = field(default_factory=list)
    unnamed_inserts: list[str] = field(default_factory=list)

    def statement(self, node: ast.Node, outer: _Scope | None) -> None:
        scope = _Scope(outer)
        with_clause = getattr(node, "withClause", None)
        if with_clause is not None:
            for cte in with_clause.ctes or ():
                scope.ctes.add(cte.ctename)
            for cte in with_clause.ctes or ():
                self.statement(cte.ctequery, scope)
        if isinstance(node, ast.SelectStmt):
            self._select(node, scope)
        elif isinstance(node, ast.InsertStmt):
            self._insert(node, scope)
        elif isinstance(node, ast.UpdateStmt):
            self._from(node.relation, scope)
            for item in node.fromClause or ():
                self._from(item, scope)
            self._conditions(node.whereClause, scope)
            self._subqueries(node.targetList, scope)
            self._subqueries(node.whereClause, scope)
        elif isinstance(node, ast.DeleteStmt):
            self._from(node.relation, scope)
            for item in node.usingClause or ():
                self._from(item, scope)
            self._conditions(node.whereClause, scope)
            self._subqueries(node.whereClause, scope)
        else:
            self._subqueries(node, scope)

    def _select(self, node: ast.SelectStmt, scope: _Scope) -> None:
        if node.larg is not None or node.rarg is not None:
            for part in (node.larg, node.rarg):
                if part is not None:
                    self.statement(part, scope)
            return
        for item in node.fromClause or ():
            self._from(item, scope)
        self._conditions(node.whereClause, scope)
        for item in node.fromClause or ():
            self._join_conditions(item, scope)
        for part in (node.targetList, node.whereClause, node.havingClause, node.valuesLists):
            self._subqueries(part, scope)

    def _insert(self, node: ast.InsertStmt, scope: _Scope) -> None:
        table = node.relation.relname
        if table in DISTRIBUTED_BY:
            columns = {c.name for c in node.cols or ()}
            if DISTRIBUTED_BY[table] not in columns:
                self.unnamed_inserts.append(table)
        if node.selectStmt is not None:
            self.statement(node.selectStmt, scope)
        if node.onConflictClause is not None:
            self._subqueries(node.onConflictClause, scope)

    def _from(self, item: ast.Node, scope: _Scope) -> None:
        if isinstance(item, ast.RangeVar):
            if item.relname in DISTRIBUTED_BY and not scope.cte(item.relname):
                alias = item.alias.aliasname if item.alias is not None else item.relname
                ref = _Ref(item.relname, alias)
                scope.refs[alias] = ref
                self.refs.append(ref)
        elif isinstance(item, ast.JoinExpr):
            self._from(item.larg, scope)
            self._from(item.rarg, scope)
        elif isinstance(item, ast.RangeSubselect):
            self.statement(item.subquery, scope if item.lateral else scope.outer)
        elif isinstance(item, ast.RangeFunction):
            self._subqueries(item.functions, scope)

    def _join_conditions(self, item: ast.Node, scope: _Scope) -> None:
        if isinstance(item, ast.JoinExpr):
            self._join_conditions(item.larg, scope)
            self._join_conditions(item.rarg, scope)
            self._conditions(item.quals, scope)
            self._subqueries(item.quals, scope)

    def _conditions(self, where: ast.Node | None, scope: _Scope) -> None:
        for conjunct in _conjuncts(where):
            if not isinstance(conjunct, ast.A_Expr) or conjunct.name[-1].sval != "=":
                continue
            if conjunct.kind not in (
                A_Expr_Kind.AEXPR_OP,
                A_Expr_Kind.AEXPR_OP_ANY,
                A_Expr_Kind.AEXPR_IN,
            ):
                continue
            left, right = _column(conjunct.lexpr, scope), _column(conjunct.rexpr, scope)
            if left is not None and right is not None:
                _join(left, right)
            elif left is not None and _free(conjunct.rexpr):
                left.root().pinned = True
            elif right is not None and _free(conjunct.lexpr):
                right.root().pinned = True

    def _subqueries(self, node: object, scope: _Scope) -> None:
        for sublink in _sublinks(node):
            self.statement(sublink.subselect, scope)


def _join(left: _Ref, right: _Ref) -> None:
    """Two references joined by their distribution column: pinned together, or not at all."""
    a, b = left.root(), right.root()
    if a is not b:
        a.parent = b
        b.pinned = b.pinned or a.pinned


def _conjuncts(where: ast.Node | None) -> Iterator[ast.Node]:
    if where is None:
        return
    if isinstance(where, ast.BoolExpr) and where.boolop == BoolExprType.AND_EXPR:
        for arg in where.args:
            yield from _conjuncts(arg)
    else:
        yield where


def _unwrapped(node: ast.Node | None) -> ast.Node | None:
    while isinstance(node, ast.TypeCast):
        node = node.arg
    return node


def _column(node: ast.Node | None, scope: _Scope) -> _Ref | None:
    node = _unwrapped(node)
    if isinstance(node, ast.ColumnRef):
        return scope.resolve(node.fields)
    return None


def _free(node: object) -> bool:
    """Whether an expression names no column of its statement (a parameter, a constant, a
    ``(SELECT $1)``): a value the statement is pinned to."""
    if isinstance(node, ast.ColumnRef):
        return False
    if isinstance(node, ast.SubLink):
        return _free(node.subselect)
    if isinstance(node, ast.Node):
        return all(_free(getattr(node, name)) for name in node)
    if isinstance(node, (list, tuple)):
        return all(_free(item) for item in node)
    return True


def _sublinks(node: object) -> Iterator[ast.SubLink]:
    """The subqueries of an expression, outermost first (their own are walked with them)."""
    if isinstance(node, ast.SubLink):
        yield node
    elif isinstance(node, (ast.SelectStmt, ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt)):
        return
    elif isinstance(node, ast.Node):
        for name in node:
            yield from _sublinks(getattr(node, name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _sublinks(item)


def unpinned(sql: str) -> list[str]:
    """The distributed tables ``sql`` reaches without pinning them to an account (sorted)."""
    found: list[str] = []
    for raw in parse_sql(sql):
        walk = _Walk()
        walk.statement(raw.stmt, None)
        found += [ref.table for ref in walk.refs if not ref.root().pinned]
        found += [f"{table} (insert without its account)" for table in walk.unnamed_inserts]
    return sorted(found)
