== bench/testdata/2026-11-25-smaller/profile.sh Request/reqcache 1000,10000
    13733  total
     9460  reqcache
     1763  other
     1288  garbage collector
     1115  allocation
       88  stack growth
       20  scheduler
== bench/testdata/2026-11-25-smaller/profile.sh Request/otter-pooled-raw 1000,10000
    22354  total
    19206  other
     2148  allocation
      938  garbage collector
       40  scheduler
       21  stack growth
== bench/testdata/2026-11-25-smaller/profile.sh OneMiss/reqcache 10000,100000
     3738  total
     1503  reqcache
     1096  garbage collector
      790  allocation
      278  other
       59  stack growth
       13  scheduler
