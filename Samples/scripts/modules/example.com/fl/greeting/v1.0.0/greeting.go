// Package greeting is the one dependency of Faultline's sample Go project.
package greeting

// Hello returns a greeting for name.
func Hello(name string) string {
	return "hello, " + name
}
