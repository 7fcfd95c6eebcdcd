module example.com/fl/fetch

go 1.19
