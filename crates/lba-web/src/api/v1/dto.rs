//! The JSON documents of the v1 API, field for field compatible with the
//! v1 contract (`openapi-v1.json`) for the fields we have: unknown fields
//! are `null` (or absent where the contract allows), and our own fields are
//! added at the top of each result under explicit names (`isDemo`,
//! `outsideRadius`, `durationMonths`).

pub(crate) mod body;
pub(crate) mod common;
pub(crate) mod company;
pub(crate) mod formation;
pub(crate) mod job;
pub(crate) mod metier;
pub(crate) mod place;
pub(crate) mod responses;
