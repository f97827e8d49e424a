//! Logic several rules share, one module per family of questions.

pub mod trust;
