//! The tools, one module per service. Each `register` adds its tools in
//! catalogue order.

use crate::dispatch::Registry;

mod calendar;
mod drive;
mod mail;
mod onenote;
mod todo;
mod user;

pub(crate) fn register(r: &mut Registry) {
    mail::register(r);
    calendar::register(r);
    drive::register(r);
    onenote::register(r);
    todo::register(r);
    user::register(r);
}
