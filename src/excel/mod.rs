//! Excel: template profiles, tolerant reading, template writing, error workbooks.
