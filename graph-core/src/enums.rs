//! Forward-compatible string enums.
//!
//! Graph adds enum values over time. Every string enum in this SDK has an
//! `Unknown(String)` arm that keeps a value this version does not know, reads
//! Graph's casing variants (`html`, `HTML`, `Html`), and writes the value back
//! as it was read. Match them with a wildcard arm:
//!
//! ```
//! use msgraph_core::models::Importance;
//! let imp: Importance = serde_json::from_str("\"urgent\"").unwrap();
//! match imp {
//!     Importance::High => println!("high"),
//!     Importance::Unknown(other) => println!("new value: {other}"),
//!     _ => println!("low or normal"),
//! }
//! ```

/// Defines a string enum with an `Unknown(String)` arm, case-insensitive
/// parsing, `Display`, `FromStr`, `as_str` and serde. Used by every crate of
/// the SDK; not a public API surface (each enum documents its own variants).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s.as_str(),
                }
            }

            /// Parses a wire value, ignoring ASCII case; anything else is `Unknown`.
            pub fn from_wire(s: &str) -> Self {
                $( if s.eq_ignore_ascii_case($wire) { return $name::$variant; } )+
                $name::Unknown(s.to_owned())
            }

            /// Parses a value a caller gave: one of the known values (ignoring
            /// ASCII case), else `None` (check user input with this, not `from_wire`).
            pub fn parse_known(s: &str) -> ::std::option::Option<Self> {
                match Self::from_wire(s.trim()) {
                    $name::Unknown(_) => None,
                    known => Some(known),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a string (", stringify!($name), ")"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<$name, E> {
                        Ok($name::from_wire(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// Implements `IntoFuture` for a builder with an `async fn send(self) ->
/// Result<T>`, so `builder.await` works as well as `builder.send().await`.
/// Used by every service crate; not a public API surface.
#[doc(hidden)]
#[macro_export]
macro_rules! into_future {
    ($builder:ty => $out:ty) => {
        impl ::std::future::IntoFuture for $builder {
            type Output = $crate::Result<$out>;
            type IntoFuture = $crate::reexports::futures::future::BoxFuture<'static, $crate::Result<$out>>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
