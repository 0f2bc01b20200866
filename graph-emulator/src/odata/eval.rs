//! Evaluates a `$filter` tree against a rendered item: comparisons with
//! Graph's typing (date-times as instants, strings case-insensitively),
//! string functions and `any` lambdas.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::time::parse_instant;

use super::parser::{CmpOp, Expr, Lit, Operand};
use super::query::get_path;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::parser::parse_filter;
    use serde_json::json;

    fn matches(filter: &str, item: &Value) -> bool {
        parse_filter(filter).unwrap().eval(item, &mut Vec::new())
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
}
