//! The `$filter` lexer: identifiers, string literals (`''` escapes a
//! quote), numbers, date-times, punctuation.

use crate::errors::{ApiResult, GraphError};
use crate::time::parse_instant;

use super::parser::Lit;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    Str(String),
    Lit(Lit),
    LParen,
    RParen,
    Comma,
    Slash,
    Colon,
}

pub(super) fn invalid_filter(detail: &str) -> GraphError {
    GraphError::bad_request(format!("Invalid filter clause: {detail}"))
}

pub(super) fn unsupported_filter() -> GraphError {
    GraphError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "ErrorInvalidUrlQueryFilter",
        "The query filter contains one or more invalid nodes.",
    )
}

pub(super) fn tokenize(s: &str) -> ApiResult<Vec<Tok>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_filter() {
        let toks = tokenize("from/x eq 'O''Brien' and n ge -1.5 or d lt 2024-03-01T00:00:00Z").unwrap();
        assert_eq!(toks[0], Tok::Ident("from".into()));
        assert_eq!(toks[1], Tok::Slash);
        assert_eq!(toks[4], Tok::Str("O'Brien".into()));
        assert_eq!(toks[8], Tok::Lit(Lit::Num(-1.5)));
        assert!(matches!(toks.last(), Some(Tok::Lit(Lit::Date(_)))));
        assert_eq!(tokenize("f(a,b:c)").unwrap().len(), 8);
    }

    #[test]
    fn bad_input_is_a_400() {
        for bad in ["'open", "a eq 12abc", "a eq #", "a eq -262144-01-01T00:00:00Z"] {
            assert_eq!(tokenize(bad).unwrap_err().status, 400, "{bad}");
        }
        assert_eq!(unsupported_filter().code, "ErrorInvalidUrlQueryFilter");
    }
}
