/** @module Placeholder replaced by the testcontainers helper (issue #7). */
export {}
