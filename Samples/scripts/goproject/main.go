package main

import (
	"fmt"

	"example.com/fl/greeting"
)

func main() {
	fmt.Println(greeting.Hello("faultline"))
}
