//! The `$filter` syntax tree and its recursive-descent parser, bounded in
//! nesting and in nodes so that a hostile filter cannot overflow the stack.

use chrono::{DateTime, Utc};

use crate::errors::ApiResult;

use super::lexer::{Tok, invalid_filter, tokenize, unsupported_filter};

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

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
}
