module example.com/fl/resolver

go 1.19
