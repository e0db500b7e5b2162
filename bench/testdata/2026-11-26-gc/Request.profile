== bench/testdata/2026-11-25-smaller/profile.sh Request/reqcache 1000,10000
    19537  total
     9496  reqcache
     5637  garbage collector
     2201  allocation
     2056  other
      128  stack growth
       19  scheduler
== GOGC=off bench/testdata/2026-11-25-smaller/profile.sh Request/reqcache 1000,10000
    12153  total
     9416  reqcache
     1736  other
      749  allocation
      178  garbage collector
       72  stack growth
        1  scheduler
