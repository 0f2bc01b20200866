//! OData query options as Graph serves them: `$select`, `$filter`,
//! `$orderby`, `$top`, `$skip` with `@odata.nextLink`, `$count`, `$search`,
//! `$expand`, and the `Prefer: odata.maxpagesize` header.
//!
//! `$filter` supports what Graph's Outlook endpoints accept and users write:
//! `eq ne gt ge lt le`, `and or not`, parentheses, `startswith`,
//! `endswith`, `contains`, property paths (`from/emailAddress/address`),
//! `any` lambdas (`categories/any(c:c eq 'Red')`), string, number, boolean,
//! `null` and date-time literals. Anything else is a 400 in Graph's shape.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::errors::{ApiResult, GraphError};
use crate::time::parse_instant;

/// Case-insensitive property lookup, the way Graph reads property names in queries.
pub(crate) fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

/// Follows a property path through nested objects.
pub(crate) fn get_path<'a>(item: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut cur = item;
    for seg in path {
        cur = get_ci(cur.as_object()?, seg)?;
    }
    Some(cur)
}

/// The parsed query options of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryOptions {
    /// Every pair, decoded, in order (kept to rebuild `@odata.nextLink`).
    pub raw: Vec<(String, String)>,
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub orderby: Vec<(Vec<String>, bool)>,
    pub top: Option<usize>,
    pub skip: usize,
    pub search: Option<String>,
    pub count: bool,
    pub expand: Vec<String>,
}

impl QueryOptions {
    /// Parses a raw query string. Option names are read with or without `$`
    /// and in any case, as Graph does.
    pub fn parse(raw_query: &str) -> ApiResult<Self> {
        let raw: Vec<(String, String)> =
            url::form_urlencoded::parse(raw_query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let mut q = QueryOptions { raw: raw.clone(), ..QueryOptions::default() };
        for (k, v) in &raw {
            let name = k.trim_start_matches('$').to_ascii_lowercase();
            match name.as_str() {
                "select" => {
                    q.select = Some(v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                }
                "filter" => q.filter = Some(parse_filter(v)?),
                "orderby" => q.orderby = parse_orderby(v)?,
                "top" => {
                    q.top = Some(v.trim().parse::<usize>().map_err(|_| {
                        GraphError::bad_request(format!("Invalid value '{v}' for $top query option found."))
                    })?)
                }
                "skip" => {
                    q.skip = v.trim().parse::<usize>().map_err(|_| {
                        GraphError::bad_request(format!("Invalid value '{v}' for $skip query option found."))
                    })?
                }
                "search" => q.search = Some(v.clone()),
                "count" => {
                    q.count = match v.trim().to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(GraphError::bad_request(format!(
                                "Invalid value '{v}' for $count query option found. Valid values are 'true' and 'false'."
                            )));
                        }
                    }
                }
                "expand" => q.expand = v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
                _ => {}
            }
        }
        Ok(q)
    }

    /// The value of a non-OData parameter (`startDateTime`, `changeType`, ...), case-insensitive.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.raw.iter().find(|(k, _)| k.trim_start_matches('$').eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Checks `$select`, `$filter` and `$orderby` against the properties of a type.
    pub fn validate(&self, props: &[&str], type_name: &str) -> ApiResult<()> {
        let known = |p: &str| props.iter().any(|k| k.eq_ignore_ascii_case(p));
        if let Some(sel) = &self.select {
            for p in sel {
                if p != "*" && !known(p) {
                    return Err(GraphError::unknown_property(p, type_name));
                }
            }
        }
        if let Some(f) = &self.filter {
            for path in f.properties() {
                if let Some(first) = path.first()
                    && !known(first)
                {
                    return Err(GraphError::unknown_property(first, type_name));
                }
            }
        }
        for (path, _) in &self.orderby {
            if let Some(first) = path.first()
                && !known(first)
            {
                return Err(GraphError::unknown_property(first, type_name));
            }
        }
        Ok(())
    }

    /// Outlook's rule for `$filter` with `$orderby` on messages: every
    /// `$orderby` property must also be in `$filter`, in the same order, before
    /// any other property; otherwise `InefficientFilter`.
    pub fn check_outlook_filter_orderby(&self) -> ApiResult<()> {
        let (Some(filter), false) = (&self.filter, self.orderby.is_empty()) else {
            return Ok(());
        };
        let mut seen: Vec<String> = Vec::new();
        for p in filter.properties() {
            let p = p.join("/").to_ascii_lowercase();
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        let ok = self
            .orderby
            .iter()
            .enumerate()
            .all(|(i, (path, _))| seen.get(i).is_some_and(|s| *s == path.join("/").to_ascii_lowercase()));
        if ok {
            Ok(())
        } else {
            Err(GraphError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "InefficientFilter",
                "The restriction or sort order is too complex for this operation.",
            ))
        }
    }

    /// Applies `$filter` and `$orderby` to rendered items.
    pub fn filter_and_sort(&self, items: &mut Vec<Value>) {
        if let Some(f) = &self.filter {
            items.retain(|it| f.eval(it, &mut Vec::new()));
        }
        if !self.orderby.is_empty() {
            let keys = self.orderby.clone();
            items.sort_by(|a, b| {
                for (path, desc) in &keys {
                    let ord = compare_json(get_path(a, path), get_path(b, path));
                    let ord = if *desc { ord.reverse() } else { ord };
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                Ordering::Equal
            });
        }
    }

    /// Whether `$expand` names this navigation property.
    pub fn expands(&self, name: &str) -> bool {
        self.expand.iter().any(|e| {
            let base = e.split('(').next().unwrap_or(e).trim();
            base.eq_ignore_ascii_case(name)
        })
    }
}

/// Keeps `id`, `@odata.*` annotations and the selected properties of an item.
pub(crate) fn apply_select(item: Value, select: Option<&[String]>, props: &[&str]) -> Value {
    let (Some(sel), Value::Object(obj)) = (select, &item) else {
        return item;
    };
    if sel.iter().any(|s| s == "*") {
        return item;
    }
    let mut out = Map::new();
    for (k, v) in obj {
        let keep = k.starts_with('@')
            || k == "id"
            || sel.iter().any(|s| s.eq_ignore_ascii_case(k) && props.iter().any(|p| p.eq_ignore_ascii_case(k)));
        if keep {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Orders JSON values: null first, then booleans, numbers, and strings
/// (date-times compare as instants, other strings case-insensitively).
pub(crate) fn compare_json(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let rank = |v: Option<&Value>| match v {
        None | Some(Value::Null) => 0,
        Some(Value::Bool(_)) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        _ => 4,
    };
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => match (parse_instant(x), parse_instant(y)) {
            (Some(dx), Some(dy)) if looks_like_datetime(x) && looks_like_datetime(y) => dx.cmp(&dy),
            _ => x.to_lowercase().cmp(&y.to_lowercase()),
        },
        _ => rank(a).cmp(&rank(b)),
    }
}

fn looks_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

/// Parses `$orderby`: `prop [asc|desc], ...`.
fn parse_orderby(v: &str) -> ApiResult<Vec<(Vec<String>, bool)>> {
    let mut out = Vec::new();
    for part in v.split(',') {
        let mut words = part.split_whitespace();
        let Some(prop) = words.next() else { continue };
        let desc = match words.next().map(|w| w.to_ascii_lowercase()) {
            None => false,
            Some(w) if w == "asc" => false,
            Some(w) if w == "desc" => true,
            Some(w) => {
                return Err(GraphError::bad_request(format!("Syntax error at position in '{v}': unexpected '{w}'.")));
            }
        };
        if words.next().is_some() {
            return Err(GraphError::bad_request(format!("Syntax error in $orderby '{v}'.")));
        }
        out.push((prop.split('/').map(str::to_owned).collect(), desc));
    }
    Ok(out)
}

// ----------------------------------------------------------------------------------------------
// $filter
// ----------------------------------------------------------------------------------------------

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A literal in a filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Date(DateTime<Utc>),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Path(Vec<String>),
    Lit(Lit),
}

/// A parsed `$filter` expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp(Operand, CmpOp, Operand),
    /// `startswith`, `endswith`, `contains`.
    Call(String, Operand, Operand),
    /// `path/any(v: body)`; `body` absent means "not empty".
    Any(Vec<String>, String, Option<Box<Expr>>),
    /// A boolean property on its own.
    Truthy(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Lit(Lit),
    LParen,
    RParen,
    Comma,
    Slash,
    Colon,
}

fn invalid_filter(detail: &str) -> GraphError {
    GraphError::bad_request(format!("Invalid filter clause: {detail}"))
}

fn unsupported_filter() -> GraphError {
    GraphError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "ErrorInvalidUrlQueryFilter",
        "The query filter contains one or more invalid nodes.",
    )
}

fn tokenize(s: &str) -> ApiResult<Vec<Tok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '/' => {
                out.push(Tok::Slash);
                i += 1
            }
            ':' => {
                out.push(Tok::Colon);
                i += 1
            }
            '\'' => {
                let mut lit = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(invalid_filter("unterminated string literal")),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            lit.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            lit.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Str(lit));
            }
            c if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], ':' | '.' | '-' | '+'))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                if let Ok(n) = text.parse::<f64>() {
                    out.push(Tok::Lit(Lit::Num(n)));
                } else if let Some(d) = parse_instant(&text) {
                    out.push(Tok::Lit(Lit::Date(d)));
                } else {
                    return Err(invalid_filter(&format!("unrecognized literal '{text}'")));
                }
            }
            c if c.is_alphabetic() || c == '_' || c == '@' || c == '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '@' | '$')) {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            other => return Err(invalid_filter(&format!("unexpected character '{other}'"))),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    vars: Vec<String>,
    /// Nesting of `(`/`not`, bounded so a hostile filter cannot overflow the stack.
    depth: usize,
    /// Nodes made so far, bounded: a flat `a or a or ...` has no nesting but
    /// makes a tree as deep as it is long (eval, `properties` and Drop recurse).
    nodes: usize,
}

/// Graph refuses deeper expressions too ("node count limit of '100'").
const MAX_FILTER_DEPTH: usize = 100;

/// Conditions and operators in one filter. Graph's own limit counts OData
/// nodes (100); this one is looser so that long `id eq ... or ...` lists
/// still work, and small enough that walking the tree recursively is safe.
const MAX_FILTER_NODES: usize = 1000;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_word(&self) -> Option<String> {
        match self.peek() {
            Some(Tok::Ident(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, t: Tok) -> ApiResult<()> {
        match self.next() {
            Some(ref got) if *got == t => Ok(()),
            _ => Err(invalid_filter(&format!("expected {t:?}"))),
        }
    }

    /// Counts one node of the tree being built.
    fn node(&mut self) -> ApiResult<()> {
        self.nodes += 1;
        if self.nodes > MAX_FILTER_NODES {
            return Err(invalid_filter(&format!("the node count limit of '{MAX_FILTER_NODES}' has been exceeded")));
        }
        Ok(())
    }

    fn or_expr(&mut self) -> ApiResult<Expr> {
        let mut left = self.and_expr()?;
        while self.peek_word().as_deref() == Some("or") {
            self.pos += 1;
            self.node()?;
            let right = self.and_expr()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> ApiResult<Expr> {
        let mut left = self.unary()?;
        while self.peek_word().as_deref() == Some("and") {
            self.pos += 1;
            self.node()?;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> ApiResult<Expr> {
        self.node()?;
        if self.depth >= MAX_FILTER_DEPTH {
            return Err(invalid_filter(&format!("the node count limit of '{MAX_FILTER_DEPTH}' has been exceeded")));
        }
        if self.peek_word().as_deref() == Some("not") {
            self.pos += 1;
            self.depth += 1;
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            self.depth += 1;
            let e = self.or_expr();
            self.depth -= 1;
            let e = e?;
            self.expect(Tok::RParen)?;
            return Ok(e);
        }
        // A function call?
        if let (Some(Tok::Ident(name)), Some(Tok::LParen)) = (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
            let lname = name.to_ascii_lowercase();
            if matches!(lname.as_str(), "startswith" | "endswith" | "contains") {
                self.pos += 2;
                let a = self.operand()?;
                self.expect(Tok::Comma)?;
                let b = self.operand()?;
                self.expect(Tok::RParen)?;
                let call = Expr::Call(lname, a, b);
                // `startswith(subject,'x') eq true` is also valid OData.
                if let Some(op) = self.peek_word().and_then(|w| cmp_op(&w)) {
                    self.pos += 1;
                    let rhs = self.operand()?;
                    return match (op, rhs) {
                        (CmpOp::Eq, Operand::Lit(Lit::Bool(true))) | (CmpOp::Ne, Operand::Lit(Lit::Bool(false))) => {
                            Ok(call)
                        }
                        (CmpOp::Eq, Operand::Lit(Lit::Bool(false))) | (CmpOp::Ne, Operand::Lit(Lit::Bool(true))) => {
                            Ok(Expr::Not(Box::new(call)))
                        }
                        _ => Err(unsupported_filter()),
                    };
                }
                return Ok(call);
            }
            return Err(unsupported_filter());
        }
        let left = self.operand()?;
        // A lambda: path/any(v: ...)
        if let Operand::Path(ref path) = left
            && self.peek() == Some(&Tok::Slash)
        {
            self.pos += 1;
            let Some(Tok::Ident(kind)) = self.next() else { return Err(invalid_filter("expected any or all")) };
            if !kind.eq_ignore_ascii_case("any") {
                return Err(unsupported_filter());
            }
            self.expect(Tok::LParen)?;
            if self.peek() == Some(&Tok::RParen) {
                self.pos += 1;
                return Ok(Expr::Any(path.clone(), String::new(), None));
            }
            let Some(Tok::Ident(var)) = self.next() else { return Err(invalid_filter("expected a lambda variable")) };
            self.expect(Tok::Colon)?;
            self.vars.push(var.clone());
            let body = self.or_expr()?;
            self.vars.pop();
            self.expect(Tok::RParen)?;
            return Ok(Expr::Any(path.clone(), var, Some(Box::new(body))));
        }
        match self.peek_word().and_then(|w| cmp_op(&w)) {
            Some(op) => {
                self.pos += 1;
                let right = self.operand()?;
                Ok(Expr::Cmp(left, op, right))
            }
            None => match left {
                Operand::Path(p) => Ok(Expr::Truthy(p)),
                Operand::Lit(_) => Err(invalid_filter("a literal is not a condition")),
            },
        }
    }

    fn operand(&mut self) -> ApiResult<Operand> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Operand::Lit(Lit::Str(s))),
            Some(Tok::Lit(l)) => Ok(Operand::Lit(l)),
            Some(Tok::Ident(w)) => {
                match w.to_ascii_lowercase().as_str() {
                    "true" => return Ok(Operand::Lit(Lit::Bool(true))),
                    "false" => return Ok(Operand::Lit(Lit::Bool(false))),
                    "null" => return Ok(Operand::Lit(Lit::Null)),
                    _ => {}
                }
                let mut path = vec![w];
                // Follow `/segment` unless the next segment is a lambda (`any(`).
                while self.peek() == Some(&Tok::Slash) {
                    match (self.toks.get(self.pos + 1), self.toks.get(self.pos + 2)) {
                        (Some(Tok::Ident(_)), Some(Tok::LParen)) => break,
                        (Some(Tok::Ident(seg)), _) => {
                            path.push(seg.clone());
                            self.pos += 2;
                        }
                        _ => return Err(invalid_filter("expected a property after '/'")),
                    }
                }
                Ok(Operand::Path(path))
            }
            _ => Err(invalid_filter("expected a property or a literal")),
        }
    }
}

fn cmp_op(w: &str) -> Option<CmpOp> {
    Some(match w {
        "eq" => CmpOp::Eq,
        "ne" => CmpOp::Ne,
        "gt" => CmpOp::Gt,
        "ge" => CmpOp::Ge,
        "lt" => CmpOp::Lt,
        "le" => CmpOp::Le,
        _ => return None,
    })
}

/// Parses a `$filter` expression.
pub(crate) fn parse_filter(s: &str) -> ApiResult<Expr> {
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err(invalid_filter("the expression is empty"));
    }
    let mut p = Parser { toks, pos: 0, vars: Vec::new(), depth: 0, nodes: 0 };
    let e = p.or_expr()?;
    if p.pos < p.toks.len() {
        return Err(invalid_filter(&format!("unexpected token at position {}", p.pos)));
    }
    Ok(e)
}

/// A value to compare.
#[derive(Debug, Clone)]
enum V {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Date(DateTime<Utc>),
    Other,
}

fn from_json(v: Option<&Value>) -> V {
    match v {
        None | Some(Value::Null) => V::Null,
        Some(Value::String(s)) => V::Str(s.clone()),
        Some(Value::Number(n)) => V::Num(n.as_f64().unwrap_or(0.0)),
        Some(Value::Bool(b)) => V::Bool(*b),
        Some(_) => V::Other,
    }
}

fn from_lit(l: &Lit) -> V {
    match l {
        Lit::Str(s) => V::Str(s.clone()),
        Lit::Num(n) => V::Num(*n),
        Lit::Bool(b) => V::Bool(*b),
        Lit::Null => V::Null,
        Lit::Date(d) => V::Date(*d),
    }
}

fn compare(a: &V, b: &V) -> Option<Ordering> {
    match (a, b) {
        (V::Date(x), V::Date(y)) => Some(x.cmp(y)),
        (V::Str(s), V::Date(d)) => parse_instant(s).map(|x| x.cmp(d)),
        (V::Date(d), V::Str(s)) => parse_instant(s).map(|y| d.cmp(&y)),
        (V::Str(x), V::Str(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        (V::Num(x), V::Num(y)) => x.partial_cmp(y),
        (V::Bool(x), V::Bool(y)) => Some(x.cmp(y)),
        (V::Null, V::Null) => Some(Ordering::Equal),
        _ => None,
    }
}

impl Expr {
    /// Property paths in the order they appear (lambda variables excluded).
    pub fn properties(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        self.collect(&mut out, &mut Vec::new());
        out
    }

    fn collect(&self, out: &mut Vec<Vec<String>>, vars: &mut Vec<String>) {
        let mut push = |o: &Operand, vars: &Vec<String>| {
            if let Operand::Path(p) = o
                && !p.first().is_some_and(|f| vars.contains(f))
            {
                out.push(p.clone());
            }
        };
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.collect(out, vars);
                b.collect(out, vars);
            }
            Expr::Not(a) => a.collect(out, vars),
            Expr::Cmp(l, _, r) | Expr::Call(_, l, r) => {
                push(l, vars);
                push(r, vars);
            }
            Expr::Truthy(p) => out.push(p.clone()),
            Expr::Any(p, var, body) => {
                out.push(p.clone());
                if let Some(b) = body {
                    vars.push(var.clone());
                    b.collect(out, vars);
                    vars.pop();
                }
            }
        }
    }

    fn resolve(o: &Operand, item: &Value, bound: &[(String, Value)]) -> V {
        match o {
            Operand::Lit(l) => from_lit(l),
            Operand::Path(p) => {
                if let Some((_, v)) = p.first().and_then(|f| bound.iter().rev().find(|(n, _)| n == f)) {
                    from_json(get_path(v, &p[1..]))
                } else {
                    from_json(get_path(item, p))
                }
            }
        }
    }

    /// Whether an item satisfies the expression.
    pub fn eval(&self, item: &Value, bound: &mut Vec<(String, Value)>) -> bool {
        match self {
            Expr::And(a, b) => a.eval(item, bound) && b.eval(item, bound),
            Expr::Or(a, b) => a.eval(item, bound) || b.eval(item, bound),
            Expr::Not(a) => !a.eval(item, bound),
            Expr::Truthy(p) => matches!(Self::resolve(&Operand::Path(p.clone()), item, bound), V::Bool(true)),
            Expr::Cmp(l, op, r) => {
                let (a, b) = (Self::resolve(l, item, bound), Self::resolve(r, item, bound));
                let ord = compare(&a, &b);
                match op {
                    CmpOp::Eq => ord == Some(Ordering::Equal),
                    CmpOp::Ne => ord != Some(Ordering::Equal),
                    CmpOp::Gt => !matches!(a, V::Null) && ord == Some(Ordering::Greater),
                    CmpOp::Ge => !matches!(a, V::Null) && matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
                    CmpOp::Lt => !matches!(a, V::Null) && ord == Some(Ordering::Less),
                    CmpOp::Le => !matches!(a, V::Null) && matches!(ord, Some(Ordering::Less | Ordering::Equal)),
                }
            }
            Expr::Call(name, l, r) => {
                let (V::Str(a), V::Str(b)) = (Self::resolve(l, item, bound), Self::resolve(r, item, bound)) else {
                    return false;
                };
                let (a, b) = (a.to_lowercase(), b.to_lowercase());
                match name.as_str() {
                    "startswith" => a.starts_with(&b),
                    "endswith" => a.ends_with(&b),
                    _ => a.contains(&b),
                }
            }
            Expr::Any(path, var, body) => {
                let target = if let Some((_, v)) = path.first().and_then(|f| bound.iter().rev().find(|(n, _)| n == f)) {
                    get_path(v, &path[1..]).cloned()
                } else {
                    get_path(item, path).cloned()
                };
                let Some(Value::Array(elems)) = target else { return false };
                match body {
                    None => !elems.is_empty(),
                    Some(b) => elems.into_iter().any(|e| {
                        bound.push((var.clone(), e));
                        let hit = b.eval(item, bound);
                        bound.pop();
                        hit
                    }),
                }
            }
        }
    }
}

// ----------------------------------------------------------------------------------------------
// $search
// ----------------------------------------------------------------------------------------------

/// A `$search` query over messages: terms joined by AND, each either free
/// text (subject, body, sender, recipients) or `field:value` with the KQL
/// fields `from`, `to`, `cc`, `subject`, `body`, `participants`,
/// `category`, `hasattachments`.
#[derive(Debug, Clone)]
pub(crate) struct Search {
    terms: Vec<(Option<String>, String)>,
}

impl Search {
    /// Parses `"..."` (the outer quotes are Graph's required form; a bare word is accepted too).
    pub fn parse(raw: &str) -> ApiResult<Self> {
        let mut s = raw.trim();
        if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
            s = &s[1..s.len() - 1];
        }
        let mut terms = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut words = Vec::new();
        for c in s.chars() {
            match c {
                '"' | '\'' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => {
                    if !cur.is_empty() {
                        words.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        for w in words {
            if w == "AND" {
                continue;
            }
            match w.split_once(':') {
                Some((field, value)) if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphabetic()) => {
                    let field = field.to_ascii_lowercase();
                    if !matches!(
                        field.as_str(),
                        "from"
                            | "to"
                            | "cc"
                            | "bcc"
                            | "subject"
                            | "body"
                            | "participants"
                            | "category"
                            | "hasattachments"
                            | "hasattachment"
                    ) {
                        return Err(GraphError::bad_request(format!("The KQL property '{field}' is not supported.")));
                    }
                    terms.push((Some(field), value.to_lowercase()));
                }
                _ => terms.push((None, w.to_lowercase())),
            }
        }
        if terms.is_empty() {
            return Err(GraphError::bad_request("Syntax error: the $search query is empty."));
        }
        Ok(Search { terms })
    }

    /// Whether a rendered message matches every term.
    pub fn matches(&self, msg: &Value, body_text: &str) -> bool {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_lowercase();
        let addr = |v: Option<&Value>| {
            let name = text(v.and_then(|r| r.get("emailAddress")).and_then(|e| e.get("name")));
            let address = text(v.and_then(|r| r.get("emailAddress")).and_then(|e| e.get("address")));
            format!("{name} {address}")
        };
        let list = |key: &str| -> String {
            msg.get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|r| addr(Some(r))).collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let subject = text(msg.get("subject"));
        let body = body_text.to_lowercase();
        let from = addr(msg.get("from"));
        let (to, cc, bcc) = (list("toRecipients"), list("ccRecipients"), list("bccRecipients"));
        let cats = msg
            .get("categories")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_lowercase).collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        self.terms.iter().all(|(field, value)| match field.as_deref() {
            None => subject.contains(value) || body.contains(value) || from.contains(value) || to.contains(value),
            Some("from") => from.contains(value),
            Some("to") => to.contains(value),
            Some("cc") => cc.contains(value),
            Some("bcc") => bcc.contains(value),
            Some("subject") => subject.contains(value),
            Some("body") => body.contains(value),
            Some("category") => cats.contains(value),
            Some("hasattachments" | "hasattachment") => {
                msg.get("hasAttachments").and_then(Value::as_bool).unwrap_or(false)
                    == (value == "true" || value == "yes")
            }
            _ => from.contains(value) || to.contains(value) || cc.contains(value) || bcc.contains(value),
        })
    }
}

// ----------------------------------------------------------------------------------------------
// Paging
// ----------------------------------------------------------------------------------------------

/// Page size: `$top`, else `Prefer: odata.maxpagesize`, else the collection's default.
pub(crate) fn page_size(q: &QueryOptions, prefer_max: Option<usize>, default: usize, max: usize) -> usize {
    q.top.or(prefer_max).unwrap_or(default).clamp(1, max)
}

/// The URL of the next page: the same path and query with `$skip` moved on.
pub(crate) fn next_link(link_base: &str, q: &QueryOptions, skip: usize) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &q.raw {
        if !k.trim_start_matches('$').eq_ignore_ascii_case("skip") {
            ser.append_pair(k, v);
        }
    }
    ser.append_pair("$skip", &skip.to_string());
    format!("{link_base}?{}", ser.finish())
}

/// A collection response: `@odata.context`, `@odata.count`, `value`, `@odata.nextLink`.
pub(crate) fn collection(context: &str, value: Vec<Value>, count: Option<usize>, next: Option<String>) -> Value {
    let mut obj = Map::new();
    obj.insert("@odata.context".into(), Value::String(context.to_owned()));
    if let Some(c) = count {
        obj.insert("@odata.count".into(), Value::from(c));
    }
    obj.insert("value".into(), Value::Array(value));
    if let Some(n) = next {
        obj.insert("@odata.nextLink".into(), Value::String(n));
    }
    Value::Object(obj)
}

/// Filters, sorts and pages rendered items, building the collection body.
pub(crate) struct Listing<'a> {
    pub query: &'a QueryOptions,
    pub props: &'a [&'a str],
    pub context: String,
    pub link_base: &'a str,
    pub prefer_max: Option<usize>,
    pub default_page: usize,
    pub max_page: usize,
}

impl Listing<'_> {
    /// Applies `$filter`, `$orderby`, paging, `$count` and `$select`.
    pub fn render(&self, mut items: Vec<Value>) -> Value {
        self.query.filter_and_sort(&mut items);
        self.page(items)
    }

    /// Pages already filtered and sorted items.
    pub fn page(&self, items: Vec<Value>) -> Value {
        let total = items.len();
        let size = page_size(self.query, self.prefer_max, self.default_page, self.max_page);
        let start = self.query.skip.min(total);
        let end = (start + size).min(total);
        let next = (end < total).then(|| next_link(self.link_base, self.query, end));
        let value = items
            .into_iter()
            .skip(start)
            .take(end - start)
            .map(|v| apply_select(v, self.query.select.as_deref(), self.props))
            .collect();
        collection(&self.context, value, self.query.count.then_some(total), next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matches(filter: &str, item: &Value) -> bool {
        parse_filter(filter).unwrap().eval(item, &mut Vec::new())
    }

    /// 100,000 `or`s parse without recursion but used to make a tree whose
    /// eval and Drop recursed 100,000 deep: the node count is bounded now.
    #[test]
    fn a_filter_with_100000_ors_is_refused_not_a_stack_overflow() {
        let long = vec!["isRead eq true"; 100_000].join(" or ");
        let err = parse_filter(&long).unwrap_err();
        assert!(err.message.contains("node count limit"), "{}", err.message);
        let and_not = vec!["not isRead"; 100_000].join(" and ");
        assert!(parse_filter(&and_not).unwrap_err().message.contains("node count limit"));
        // A long but reasonable filter still works.
        let fifty = vec!["isRead eq true"; 50].join(" or ");
        assert!(matches(&fifty, &json!({"isRead": true})));
    }

    #[test]
    fn filters_users_write() {
        let m = json!({
            "isRead": false, "subject": "Quarterly review", "importance": "high",
            "receivedDateTime": "2024-03-01T10:00:00Z", "conversationId": "AAQkA-x_y=",
            "from": {"emailAddress": {"address": "AlexW@contoso.com", "name": "Alex Wilber"}},
            "categories": ["Red category", "Travel"], "flag": {"flagStatus": "flagged"}
        });
        assert!(matches("isRead eq false", &m));
        assert!(!matches("isRead eq true", &m));
        assert!(matches("conversationId eq 'AAQkA-x_y='", &m));
        assert!(matches("receivedDateTime ge 2024-03-01T00:00:00Z and receivedDateTime lt 2024-03-02", &m));
        assert!(!matches("receivedDateTime gt 2024-03-01T10:00:00Z", &m));
        assert!(matches("from/emailAddress/address eq 'alexw@contoso.com'", &m));
        assert!(matches("categories/any(c:c eq 'Travel')", &m));
        assert!(!matches("categories/any(c:c eq 'Blue')", &m));
        assert!(matches("startswith(subject,'quarterly') and importance eq 'High'", &m));
        assert!(matches("not (isRead eq true) or flag/flagStatus eq 'complete'", &m));
        assert!(matches("isRead eq true or flag/flagStatus eq 'flagged'", &m));
    }

    #[test]
    fn bad_filters_are_400s() {
        assert_eq!(parse_filter("isRead eq").unwrap_err().status, 400);
        assert_eq!(parse_filter("substringof('a',subject)").unwrap_err().code, "ErrorInvalidUrlQueryFilter");
        assert_eq!(parse_filter("subject eq 'unterminated").unwrap_err().status, 400);
        assert_eq!(parse_filter("").unwrap_err().status, 400);
    }

    #[test]
    fn filter_properties_come_in_order() {
        let e = parse_filter("receivedDateTime ge 2024-01-01 and isRead eq false").unwrap();
        assert_eq!(e.properties(), vec![vec!["receivedDateTime".to_owned()], vec!["isRead".to_owned()]]);
    }

    #[test]
    fn outlook_orderby_rule() {
        let ok = QueryOptions::parse(
            "$filter=receivedDateTime ge 2024-01-01 and isRead eq false&$orderby=receivedDateTime desc",
        )
        .unwrap();
        assert!(ok.check_outlook_filter_orderby().is_ok());
        let bad = QueryOptions::parse("$filter=isRead eq false&$orderby=receivedDateTime desc").unwrap();
        assert_eq!(bad.check_outlook_filter_orderby().unwrap_err().code, "InefficientFilter");
    }

    #[test]
    fn search_terms() {
        let m = json!({"subject": "Budget draft", "from": {"emailAddress": {"name": "Alex Wilber", "address": "AlexW@contoso.com"}}});
        assert!(Search::parse("\"budget\"").unwrap().matches(&m, "numbers inside"));
        assert!(Search::parse("\"from:alex subject:draft\"").unwrap().matches(&m, ""));
        assert!(!Search::parse("\"from:megan\"").unwrap().matches(&m, ""));
        assert!(Search::parse("\"numbers\"").unwrap().matches(&m, "numbers inside"));
    }

    #[test]
    fn next_link_keeps_the_query() {
        let q = QueryOptions::parse("$select=subject&$top=5&$skip=5").unwrap();
        let link = next_link("http://127.0.0.1:1/v1.0/me/messages", &q, 10);
        assert_eq!(link, "http://127.0.0.1:1/v1.0/me/messages?%24select=subject&%24top=5&%24skip=10");
    }
}
