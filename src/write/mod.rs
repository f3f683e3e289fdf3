//! Batches to files: pain.001 XML per bank, hashed while written, in a
//! staging directory that is published in one rename.

pub mod chunked;
pub mod direct;
pub mod hashing;
pub mod manifest;
pub mod pain001;
pub mod publish;
pub mod template;

pub use hashing::{HashingWriter, WrittenFile};
pub use publish::{PublishError, Staged, Staging};
