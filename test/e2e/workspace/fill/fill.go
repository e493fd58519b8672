// Package fill indexes users by name.
package fill

// User is a user of the service.
type User struct {
	Name  string
	Email string
	Age   int
}

// ByName returns the users keyed by name.
func ByName(users []User) map[string]User {
	byName := make(map[string]User)
	for _, u := range users {
		byName[u.Name] = u
	}
	return byName
}
