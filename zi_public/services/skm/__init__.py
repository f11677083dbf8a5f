"""SKM (Survei Kepuasan Masyarakat, PermenPANRB 14/2017) and the service standards it measures.

filing (validate and store one response, from any channel) · paper (the xlsx template and the all-or-nothing
import) · results (NRR/IKM per period and layanan with SQL aggregates, population and sample sufficiency) ·
follow_up (improvement items for weak unsur, carried forward until done) · standards (standar pelayanan per
layanan, versioned, and the maklumat) · labels (the words). Same shape as services/pengaduan/.
"""
