// Package importrules holds the test that keeps the package graph the shape
// docs/architecture.md draws: a pure core that touches no operating system,
// edges that do, and a triggers binary that links only what it needs. It
// has no code of its own.
package importrules
