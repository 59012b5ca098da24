-- wrk prints the 50th, 75th, 90th and 99th percentiles; the load test reports the 95th too.
done = function(summary, latency, requests)
  io.write(string.format("95th percentile: %dus\n", latency:percentile(95)))
end
