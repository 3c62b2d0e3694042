"""Where values become words: numbers, labels and tables for every output."""
