"""A few hundred words of plain English for teacher-forced comparisons (written for these tests)."""

TEXT = """\
The lighthouse on the northern cape was built in 1874, after a winter storm drove three fishing boats onto the rocks \
below the cliffs. For more than a century a keeper lived in the small stone house beside the tower, climbing the \
spiral stairs every evening to light the lamp and wind the clockwork that turned the great glass lens. The keepers \
kept a logbook, and the entries tell a quiet story: the weather at dawn and dusk, the ships that passed, the days the \
supply boat could not land because the sea was too rough, and the occasional visitor who walked the long road from \
the village to see the view.

In 1962 the lamp was electrified, and in 1989 the last keeper left. Today the light is controlled from a harbour \
office forty kilometres away, and a sensor reports any fault by radio. The stone house has become a small museum. \
Its rooms hold the keepers' furniture, a brass telescope, charts of the coast, and the logbooks themselves, opened \
at pages that record the great storms. Children who visit are allowed to ring the fog bell once, and most of them \
remember that sound long after they have forgotten the dates on the walls.

The museum depends on volunteers. They repaint the window frames each spring, because salt wind strips the paint \
within a year, and they guide visitors up the tower on weekends. One of them, a retired teacher, has spent six years \
transcribing the logbooks into a searchable archive. She says the most surprising thing she found was not a \
shipwreck or a rescue, but how ordinary most days were. Keepers wrote about mending nets, planting potatoes in the \
thin soil, and waiting for letters. Some pages describe birds that landed on the gallery during migration, so tired \
that they could be picked up by hand and carried inside to rest until morning.

Scientists have also found the logbooks useful. Because the keepers measured wind, temperature and sea conditions at \
the same times every day for over a hundred years, their notes form one of the longest continuous weather records \
on this part of the coast. Researchers compare them with modern measurements to study how storms have changed. The \
handwriting can be hard to read, and the units changed twice, but the records are careful and consistent.

If you plan a visit, check the tide tables first: at high water the lower path floods, and the only way up is the \
steep track behind the old stables. Bring a warm coat even in summer. The café in the former boat shed serves soup \
and bread, and on clear evenings you can stay until the light comes on and watch the beam sweep across the water, \
exactly as it has done for a hundred and fifty years.
"""
