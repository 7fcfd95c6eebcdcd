module example.com/fl/greeting

go 1.19
