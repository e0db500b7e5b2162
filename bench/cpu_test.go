package bench

import (
	"syscall"
	"testing"
	"time"
)

// A cpuMeter measures the CPU time of the whole process (user and system,
// every thread: the benchmark's goroutines, the garbage collector, otter's
// maintenance) over a benchmark's loop, and reports it per op as the
// cpu-ns/op metric. On a shared machine, other processes' load inflates
// wall time (ns/op) far more than it inflates the process's own CPU time.
//
// For a benchmark whose ops run on several goroutines at once, cpu-ns/op is
// the CPU time of all of them per op, which may exceed ns/op.
type cpuMeter struct {
	now   func() time.Duration // the process's CPU time
	start time.Duration        // now() when the meter last ran on
	total time.Duration        // the CPU time measured before start
}

// startCPU returns a meter that runs from now on. Call it right before the
// benchmark's loop, and call stop right after it:
//
//	cpu := startCPU()
//	for b.Loop() {
//		...
//	}
//	cpu.stop(b)
func startCPU() *cpuMeter { return newCPUMeter(processCPUTime) }

func newCPUMeter(now func() time.Duration) *cpuMeter {
	return &cpuMeter{now: now, start: now()}
}

// pause stops the meter, as b.StopTimer stops the timer.
func (m *cpuMeter) pause() { m.total += m.now() - m.start }

// resume runs the meter on, as b.StartTimer starts the timer.
func (m *cpuMeter) resume() { m.start = m.now() }

// stop stops the meter and reports the CPU time it measured per op of b.
func (m *cpuMeter) stop(b *testing.B) {
	m.pause()
	if b.N > 0 {
		b.ReportMetric(m.perOp(b.N), "cpu-ns/op")
	}
}

// perOp returns the CPU time measured, in nanoseconds, divided by n.
func (m *cpuMeter) perOp(n int) float64 {
	return float64(m.total.Nanoseconds()) / float64(n)
}

// processCPUTime returns the user and system CPU time the process has used.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic("bench: getrusage: " + err.Error())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCPUMeter checks that the meter counts the CPU time that passes while
// it runs, and not while it is paused.
func TestCPUMeter(t *testing.T) {
	var clock time.Duration
	m := newCPUMeter(func() time.Duration { return clock })
	clock += 30 // counted
	m.pause()
	clock += 1000 // paused: not counted
	m.resume()
	clock += 10 // counted
	m.pause()
	if got, want := m.perOp(4), 10.0; got != want {
		t.Errorf("perOp(4) = %v; want %v", got, want)
	}
}

// TestProcessCPUTime checks that the process's CPU time is read: a test
// binary that has started has used some.
func TestProcessCPUTime(t *testing.T) {
	if got := processCPUTime(); got <= 0 {
		t.Errorf("processCPUTime() = %v; want > 0", got)
	}
}
