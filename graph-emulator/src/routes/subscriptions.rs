//! Change-notification subscriptions (`/subscriptions`): create (after
//! validating the notification and lifecycle URLs), get, list, renew
//! (PATCH), reauthorize, delete.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/subscription>,
//! <https://learn.microsoft.com/graph/api/subscription-post-subscriptions>,
//! <https://learn.microsoft.com/graph/change-notifications-delivery-webhooks>.
//!
//! Creating one calls the subscriber's URLs, which cannot happen under the
//! store lock: `POST /v1.0/subscriptions` is served by its own async handler
//! ([`router`]); every other method goes through the Graph entry point.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::context::{Ctx, Shared, lock};
use crate::demo;
use crate::errors::{ApiResult, GraphError};
use crate::notify::{loopback_url, validate};
use crate::odata::{Listing, apply_select};
use crate::routes::response::{origin, to_response};
use crate::routes::{Reply, Req, with_context};
use crate::state::auth::Principal;
use crate::state::resource_data::Encryption;
use crate::state::schema::json_object;
use crate::state::store::Store;
use crate::state::subscriptions::{
    Kind, MIN_LIFETIME_MINUTES, SubscriptionRec, Target, UPDATED, parse_change_types, parse_resource, render, snapshot,
};

/// Properties of `microsoft.graph.subscription`.
const SUBSCRIPTION_PROPS: &[&str] = &[
    "id",
    "resource",
    "applicationId",
    "changeType",
    "clientState",
    "notificationUrl",
    "notificationQueryOptions",
    "lifecycleNotificationUrl",
    "expirationDateTime",
    "creatorId",
    "includeResourceData",
    "latestSupportedTlsVersion",
    "encryptionCertificate",
    "encryptionCertificateId",
    "notificationUrlAppId",
];

/// `clientState` is at most this long.
const MAX_CLIENT_STATE: usize = 128;

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "InvalidRequest", message)
}

fn not_found() -> GraphError {
    GraphError::new(StatusCode::NOT_FOUND, "ResourceNotFound", "The object was not found.")
}

/// Whether `principal` sees a subscription: its creator, or any app-only token.
fn visible(rec: &SubscriptionRec, principal: &Principal) -> bool {
    match principal {
        Principal::App(_) => true,
        p => rec.creator == *p,
    }
}

/// Routes what follows `/subscriptions` (except the creation, see [`router`]).
pub(crate) fn route(store: &mut Store, principal: &Principal, rest: &[&str], req: &Req) -> ApiResult<Reply> {
    let lower: Vec<String> = rest.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match (lower.as_slice(), &req.method) {
        ([], &Method::GET) => list(store, principal, req),
        ([], &Method::POST) => Err(invalid(
            "msgraph-emulator creates subscriptions only with a direct POST /v1.0/subscriptions (not inside $batch): it must call the notification URL first.",
        )),
        ([], _) => Err(GraphError::method_not_allowed()),
        ([_], &Method::GET) => {
            let rec = store.subscriptions.subs.get(rest[0]).filter(|r| visible(r, principal)).ok_or_else(not_found)?;
            let v = apply_select(render(rec), req.query.select.as_deref(), SUBSCRIPTION_PROPS);
            Ok(Reply::ok(with_context(v, req.context("subscriptions/$entity"))))
        }
        ([_], &Method::PATCH) => renew(store, principal, rest[0], req),
        ([_], &Method::DELETE) => {
            let rec = store.subscriptions.subs.get(rest[0]).filter(|r| visible(r, principal)).ok_or_else(not_found)?;
            let id = rec.id.clone();
            store.subscriptions.subs.remove(&id);
            Ok(Reply::no_content())
        }
        ([_], _) => Err(GraphError::method_not_allowed()),
        ([_, "reauthorize"], &Method::POST) => {
            let rec =
                store.subscriptions.subs.get_mut(rest[0]).filter(|r| visible(r, principal)).ok_or_else(not_found)?;
            rec.needs_reauthorization = false;
            Ok(Reply::no_content())
        }
        ([_, "reauthorize"], _) => Err(GraphError::method_not_allowed()),
        ([_, other, ..], _) => Err(GraphError::segment_not_found(other)),
    }
}

fn list(store: &Store, principal: &Principal, req: &Req) -> ApiResult<Reply> {
    req.query.validate(SUBSCRIPTION_PROPS, "subscription")?;
    let mut recs: Vec<&SubscriptionRec> = store.subscriptions.subs.values().filter(|r| visible(r, principal)).collect();
    recs.sort_by(|a, b| a.id.cmp(&b.id));
    let items: Vec<Value> = recs.into_iter().map(render).collect();
    let base = req.link_base();
    let listing = Listing {
        query: &req.query,
        props: SUBSCRIPTION_PROPS,
        context: req.context("subscriptions"),
        link_base: &base,
        prefer_max: req.prefs.max_page_size,
        default_page: 100,
        max_page: 1000,
    };
    Ok(Reply::ok(listing.render(items)))
}

/// The expiration Graph keeps for a requested one: refused in the past or
/// beyond the resource's maximum, raised to 45 minutes from now.
fn check_expiration(
    store: &Store,
    kind: Kind,
    with_resource_data: bool,
    value: &Value,
    now: DateTime<Utc>,
) -> ApiResult<DateTime<Utc>> {
    let text = value.as_str().ok_or_else(|| invalid("expirationDateTime must be a date-time string."))?;
    let at = DateTime::parse_from_rfc3339(text.trim()).map(|d| d.with_timezone(&Utc)).map_err(|_| {
        invalid(format!("'{text}' is not a valid expirationDateTime (an ISO 8601 date-time with an offset)."))
    })?;
    if at <= now {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ExtensionError",
            "Subscription expiration can only be in the future.",
        ));
    }
    let max = store.subscriptions.max_minutes(kind, with_resource_data);
    if at > now + Duration::minutes(max) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ExtensionError",
            format!("Subscription expiration can only be {max} minutes in the future."),
        ));
    }
    Ok(at.max(now + Duration::minutes(MIN_LIFETIME_MINUTES)))
}

fn renew(store: &mut Store, principal: &Principal, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let (kind, rich) = store
        .subscriptions
        .subs
        .get(id)
        .filter(|r| visible(r, principal))
        .map(|r| (r.target.kind(), r.encryption.is_some()))
        .ok_or_else(not_found)?;
    let mut expires = None;
    for (k, v) in &body {
        match k.as_str() {
            "expirationDateTime" => expires = Some(check_expiration(store, kind, rich, v, req.now)?),
            "lifecycleNotificationUrl" => {
                return Err(invalid(
                    "lifecycleNotificationUrl cannot be added or changed by updating a subscription: delete it and create a new one.",
                ));
            }
            "notificationUrl" => {
                return Err(invalid(
                    "msgraph-emulator does not change notificationUrl by update: delete the subscription and create a new one.",
                ));
            }
            k if k.starts_with('@') => {}
            other => return Err(invalid(format!("The property '{other}' of a subscription cannot be updated."))),
        }
    }
    let rec = store.subscriptions.subs.get_mut(id).ok_or_else(not_found)?;
    if let Some(at) = expires {
        rec.expires = at;
        // Renewing also reauthorizes.
        rec.needs_reauthorization = false;
    }
    Ok(Reply::ok(with_context(render(rec), req.context("subscriptions/$entity"))))
}

/// A checked subscription request, before its URLs are validated.
struct Draft {
    rec: SubscriptionRec,
}

fn string_prop(body: &Map<String, Value>, name: &str, required: bool) -> ApiResult<Option<String>> {
    match body.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(invalid(format!("{name} is a required property for subscription creation."))),
        Some(_) => Err(invalid(format!("{name} must be a non-empty string."))),
    }
}

/// Checks a creation request and resolves its resource (under the lock).
fn prepare(
    store: &mut Store,
    principal: &Principal,
    body: &Map<String, Value>,
    now: DateTime<Utc>,
) -> ApiResult<Draft> {
    for k in body.keys() {
        if !k.starts_with('@') && !SUBSCRIPTION_PROPS.contains(&k.as_str()) {
            return Err(invalid(
                "Could not process subscription creation payload. Are all property names spelled and camelCased properly?",
            ));
        }
    }
    let rich = match body.get("includeResourceData") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => return Err(invalid("includeResourceData must be a boolean.")),
    };
    let encryption = if rich {
        let certificate = string_prop(body, "encryptionCertificate", false)?
            .ok_or_else(|| invalid("encryptionCertificate is required when includeResourceData is true."))?;
        let certificate_id = string_prop(body, "encryptionCertificateId", false)?
            .ok_or_else(|| invalid("encryptionCertificateId is required when includeResourceData is true."))?;
        Some(
            Encryption::new(&certificate, &certificate_id)
                .map_err(|why| invalid(format!("The encryptionCertificate cannot be used: {why}.")))?,
        )
    } else {
        None
    };
    let change_type = string_prop(body, "changeType", true)?.unwrap_or_default();
    let change_types = parse_change_types(&change_type)?;
    let notification_url = string_prop(body, "notificationUrl", true)?.unwrap_or_default();
    let lifecycle_url = string_prop(body, "lifecycleNotificationUrl", false)?;
    for url in std::iter::once(&notification_url).chain(lifecycle_url.as_ref()) {
        loopback_url(url).map_err(invalid)?;
    }
    let resource = string_prop(body, "resource", true)?.unwrap_or_default();
    let client_state = match body.get("clientState") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= MAX_CLIENT_STATE => Some(s.clone()),
        Some(Value::String(_)) => {
            return Err(invalid(format!("clientState can be at most {MAX_CLIENT_STATE} characters.")));
        }
        Some(_) => return Err(invalid("clientState must be a string.")),
    };
    let tls_version = match string_prop(body, "latestSupportedTlsVersion", false)? {
        None => "v1_2".to_owned(),
        Some(v) if ["v1_0", "v1_1", "v1_2", "v1_3"].contains(&v.as_str()) => v,
        Some(_) => {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "ValidationError",
                "Invalid property value for LatestSupportedTlsVersion",
            ));
        }
    };
    let target: Target = parse_resource(store, principal, &resource)?;
    if matches!(target, Target::DriveRoot { .. }) && change_types != UPDATED {
        return Err(invalid("Only the 'updated' changeType is supported for driveItem resources."));
    }
    if rich && target.kind() != Kind::Outlook {
        return Err(invalid(format!(
            "includeResourceData is not supported for '{resource}': msgraph-emulator sends resource data for Outlook messages and events."
        )));
    }
    let expires_value = body
        .get("expirationDateTime")
        .filter(|v| !v.is_null())
        .ok_or_else(|| invalid("expirationDateTime is a required property for subscription creation."))?;
    let expires = check_expiration(store, target.kind(), rich, expires_value, now)?;
    let application_id = match principal {
        Principal::App(a) => a.clone(),
        Principal::User(_) => demo::CLIENT_ID.to_owned(),
    };
    let id = store.ids.guid();
    Ok(Draft {
        rec: SubscriptionRec {
            id,
            resource,
            target,
            change_types,
            notification_url,
            lifecycle_url,
            client_state,
            expires,
            creator: principal.clone(),
            application_id,
            tls_version,
            needs_reauthorization: false,
            snapshot: Default::default(),
            encryption,
        },
    })
}

/// Routes of `POST /v1.0/subscriptions`; other methods on the path go to
/// `graph`, the Graph entry point (the server's).
pub(crate) fn router<H, T>(graph: H) -> Router<Arc<Shared>>
where
    H: Handler<T, Arc<Shared>>,
    T: 'static,
{
    Router::new().route("/v1.0/subscriptions", post(create).fallback(graph))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

async fn create(
    State(shared): State<Arc<Shared>>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let origin = origin(&headers, shared.addr);
    let result = create_inner(&shared, &ctx, &headers, &body, &origin).await;
    to_response(result, &ctx)
}

async fn create_inner(shared: &Shared, ctx: &Ctx, headers: &HeaderMap, body: &[u8], origin: &str) -> ApiResult<Reply> {
    let Some(token) = bearer(headers) else {
        return Err(GraphError::unauthorized("Access token is empty.", origin));
    };
    let (draft, settings) = {
        let mut store = lock(&shared.store);
        let principal = store.authenticate(token, ctx.now).map_err(|m| GraphError::unauthorized(m, origin))?;
        let body = json_object(body)?;
        (prepare(&mut store, &principal, &body, ctx.now)?, store.subscriptions.settings.clone())
    };
    // Graph calls both URLs (even when they are the same) and creates nothing if either fails.
    validate(&draft.rec.notification_url, settings.validation_timeout).await?;
    if let Some(l) = &draft.rec.lifecycle_url {
        validate(l, settings.validation_timeout).await?;
    }
    let mut store = lock(&shared.store);
    let mut rec = draft.rec;
    // What the resource holds now: only later changes are notified.
    rec.snapshot = snapshot(&store, &rec.target).unwrap_or_default();
    let v = render(&rec);
    store.subscriptions.subs.insert(rec.id.clone(), rec);
    let context = format!("{origin}/v1.0/$metadata#subscriptions/$entity");
    Ok(Reply::created(with_context(v, context)))
}
