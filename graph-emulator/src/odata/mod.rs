//! OData query options as Graph serves them: `$select`, `$filter`,
//! `$orderby`, `$top`, `$skip` with `@odata.nextLink`, `$count`, `$search`,
//! `$expand`, and the `Prefer: odata.maxpagesize` header.
//!
//! `$filter` supports what Graph's Outlook endpoints accept and users write:
//! `eq ne gt ge lt le`, `and or not`, parentheses, `startswith`,
//! `endswith`, `contains`, property paths (`from/emailAddress/address`),
//! `any` lambdas (`categories/any(c:c eq 'Red')`), string, number, boolean,
//! `null` and date-time literals. Anything else is a 400 in Graph's shape.
//!
//! The parts: [`query`] (the options of a request, `$select`, ordering),
//! [`lexer`] and [`parser`] (`$filter` to a tree), [`eval`] (the tree
//! against an item), [`search`] (`$search`), [`listing`] (paging and
//! collection bodies).

mod eval;
mod lexer;
mod listing;
mod parser;
mod query;
mod search;

pub(crate) use listing::Listing;
pub(crate) use parser::{CmpOp, Expr, Lit, Operand};
pub(crate) use query::{QueryOptions, apply_select, compare_json, get_ci, get_path};
pub(crate) use search::Search;
