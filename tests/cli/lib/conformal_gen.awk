# conformal_gen.awk (intervals.bats) -v seed=S -v n=N -v cls=0|1: x1,x2,y rows of y = 1 + 2 x1 - x2 + N(0,1)
# (cls=1: y the class "a" or "b" of the sign of that, a logistic-ish target)
function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
BEGIN {
	srand(seed)
	print "x1,x2,y"
	for (i = 0; i < n; i++) {
		x1 = gauss(); x2 = gauss(); y = 1 + 2 * x1 - x2 + gauss()
		if (cls) y = y > 1 ? "b" : "a"
		printf "%.6f,%.6f,%s\n", x1, x2, cls ? y : sprintf("%.6f", y)
	}
}
