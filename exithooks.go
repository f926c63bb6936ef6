package main

import (
	"context"
	"sync"
)

// exitHooks are clean-ups that must happen even when the process exits at
// once on a second Ctrl-C (onSignals): removing a temporary file that
// would otherwise be left behind. A command that returns normally cleans
// up by itself (defer); these run only on the immediate exit.
type exitHooks struct {
	mu      sync.Mutex
	next    int
	hooks   map[int]func()
	exiting bool // run has run: make nothing new
}

// add runs create and registers the clean-up it returns, atomically with
// respect to run: what create makes is either cleaned up by run, or never
// made (after run, add fails with context.Canceled without calling
// create). The returned remove unregisters the clean-up. On a nil
// *exitHooks (a command run without main, as most tests do) add only runs
// create.
func (h *exitHooks) add(create func() (cleanup func(), err error)) (remove func(), err error) {
	if h == nil {
		_, err := create()
		return func() {}, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.exiting {
		return func() {}, context.Canceled
	}
	cleanup, err := create()
	if err != nil {
		return func() {}, err
	}
	if h.hooks == nil {
		h.hooks = map[int]func(){}
	}
	id := h.next
	h.next++
	h.hooks[id] = cleanup
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.hooks, id)
	}, nil
}

// run runs every registered clean-up, just before the process exits;
// from then on add makes nothing new.
func (h *exitHooks) run() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.exiting = true
	for _, fn := range h.hooks {
		fn()
	}
	h.hooks = nil
}

type exitHooksKey struct{}

// withExitHooks gives the commands run under ctx the hooks that the
// immediate exit runs.
func withExitHooks(ctx context.Context, h *exitHooks) context.Context {
	return context.WithValue(ctx, exitHooksKey{}, h)
}

// exitHooksFrom is the hooks of ctx, nil when there are none.
func exitHooksFrom(ctx context.Context) *exitHooks {
	h, _ := ctx.Value(exitHooksKey{}).(*exitHooks)
	return h
}
