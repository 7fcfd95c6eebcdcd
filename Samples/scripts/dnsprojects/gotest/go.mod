module example.com/fl/mirror

go 1.19
