<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Interactive end-of-chapter exercises</title></head>
<body>
<h1>Kurose &amp; Ross — interactive problems</h1>
<p>You reached this page by typing, in the lab terminal:</p>
<pre>telnet gaia.cs.umass.edu 80
GET /kurose_ross/interactive/index.php HTTP/1.1
Host: gaia.cs.umass.edu
</pre>
<p>and an empty line. Look at the response's status line and header lines in the inspector.</p>
</body>
</html>
