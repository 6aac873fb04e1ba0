// Goroutines, channels, select, a mutex and a WaitGroup: a small worker pool.
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

type job struct {
	id   int
	word string
}

type result struct {
	id    int
	upper string
	by    int
}

func worker(n int, jobs <-chan job, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- result{id: j.id, upper: strings.ToUpper(j.word), by: n}
	}
}

func main() {
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta"}
	jobs := make(chan job)
	results := make(chan result, len(words))
	var wg sync.WaitGroup
	for n := 1; n <= 3; n++ {
		wg.Add(1)
		go worker(n, jobs, results, &wg)
	}
	for i, w := range words {
		jobs <- job{id: i, word: w}
	}
	close(jobs)
	wg.Wait()
	close(results)

	var all []result
	for r := range results {
		all = append(all, r)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	for _, r := range all {
		fmt.Printf("%d %s\n", r.id, r.upper)
	}

	var mu sync.Mutex
	counter := 0
	var wg2 sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			mu.Lock()
			counter += i
			mu.Unlock()
		}()
	}
	wg2.Wait()
	fmt.Println("sum of loop variables seen by goroutines:", counter)

	done := make(chan string)
	go func() {
		time.Sleep(10 * time.Millisecond)
		done <- "finished"
	}()
	select {
	case msg := <-done:
		fmt.Println(msg)
	case <-time.After(15 * time.Second):
		fmt.Println("timed out")
	}
}
